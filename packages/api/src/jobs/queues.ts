import { PRUNE_SYNC_RUNS_QUEUE } from '../channels/prune-sync-runs.job.js';
import { SYNC_QUEUE_DEFINITION } from '../channels/sync.job.js';
import { DISPATCH_TRIGGERS_QUEUE } from '../orders/trigger-publisher.js';
import { RULES_QUEUES } from '../rules/rules.jobs.js';
import type { QueueDefinition } from './queue.js';

/**
 * Every queue, created (or updated) by each process at start. Each job expires after the worker
 * lease unless its worker renews it (JobQueue), so a dead worker's job is retried within about a
 * lease plus the maintenance interval plus its retry delay; `maxRunSeconds` bounds a hung handler.
 */
export const QUEUES: QueueDefinition[] = [
  SYNC_QUEUE_DEFINITION,
  // A page of triggers, with the rules it runs and the messages they send right away.
  {
    name: DISPATCH_TRIGGERS_QUEUE,
    policy: 'standard',
    retryLimit: 10,
    retryDelay: 5,
    retryBackoff: true,
    maxRunSeconds: 10 * 60,
  },
  { name: PRUNE_SYNC_RUNS_QUEUE, policy: 'short', retryLimit: 2, retryBackoff: true, maxRunSeconds: 10 * 60 },
  ...RULES_QUEUES,
];
