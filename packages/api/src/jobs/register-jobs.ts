import { PRUNE_SYNC_RUNS_QUEUE, pruneSyncRuns } from '../channels/prune-sync-runs.job.js';
import type { Runtime } from '../runtime/runtime.js';
import { JobQueue, type QueueDefinition } from './queue.js';
import { ScheduleRegistry } from './schedules.js';

export const QUEUES: QueueDefinition[] = [
  { name: PRUNE_SYNC_RUNS_QUEUE, policy: 'short', retryLimit: 2, retryBackoff: true },
];

/** Connects the queue, attaches a handler per queue and sets the fixed schedules. */
export async function registerJobs(rt: Pick<Runtime, 'database' | 'log' | 'orm' | 'clock'>) {
  const queue = await JobQueue.connect(rt.database.url, rt.log, QUEUES);
  await queue.work(PRUNE_SYNC_RUNS_QUEUE, async () => {
    const deleted = await pruneSyncRuns(rt.orm.em.fork(), rt.clock);
    rt.log.info({ deleted }, 'pruned old sync runs');
  });
  const schedules = new ScheduleRegistry(queue, rt.log);
  schedules.set({ name: 'prune-sync-runs', cron: '17 3 * * *', queue: PRUNE_SYNC_RUNS_QUEUE, data: {} });
  return { queue, schedules, queues: QUEUES.map((q) => q.name) };
}
