import { PRUNE_SYNC_RUNS_QUEUE } from '../channels/prune-sync-runs.job.js';
import { SYNC_QUEUE_DEFINITION } from '../channels/sync.job.js';
import { DISPATCH_TRIGGERS_QUEUE } from '../orders/trigger-publisher.js';
import { RULES_QUEUES } from '../rules/rules.jobs.js';
import type { QueueDefinition } from './queue.js';

/** Every queue, created (or updated) by each process at start. */
export const QUEUES: QueueDefinition[] = [
  SYNC_QUEUE_DEFINITION,
  { name: DISPATCH_TRIGGERS_QUEUE, policy: 'standard', retryLimit: 10, retryDelay: 5, retryBackoff: true },
  { name: PRUNE_SYNC_RUNS_QUEUE, policy: 'short', retryLimit: 2, retryBackoff: true },
  ...RULES_QUEUES,
];
