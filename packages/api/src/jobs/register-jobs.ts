import { PRUNE_SYNC_RUNS_QUEUE, pruneSyncRuns } from '../channels/prune-sync-runs.job.js';
import { SYNC_QUEUE, syncJobHandler, syncSchedules, type SyncJob } from '../channels/sync.job.js';
import { DISPATCH_TRIGGERS_QUEUE } from '../orders/trigger-publisher.js';
import { registerRulesJobs } from '../rules/rules.jobs.js';
import type { Runtime } from '../runtime/runtime.js';
import { QUEUES } from './queues.js';
import { ScheduleRegistry } from './schedules.js';

const SCHEDULE_REFRESH_MS = 60_000;

/** Attaches a handler to every queue and keeps the cron schedules in step with the connections. */
export async function registerJobs(rt: Pick<Runtime, 'log' | 'orm' | 'clock' | 'services'>) {
  const { queue } = rt.services;
  const fork = () => rt.orm.em.fork();

  await queue.work<SyncJob>(SYNC_QUEUE, syncJobHandler(queue, rt.services.sync, fork));
  // Two dispatchers, a page each at a time: a new page wakes one at once (queue.work), and the
  // second keeps a page going while the first waits on the database.
  for (let i = 0; i < 2; i++) {
    await queue.work<{ triggerIds: string[] }>(DISPATCH_TRIGGERS_QUEUE, async ({ triggerIds }) => {
      await rt.services.triggers.dispatch(fork(), triggerIds);
    });
  }
  await queue.work(PRUNE_SYNC_RUNS_QUEUE, async () => {
    const deleted = await pruneSyncRuns(fork(), rt.clock);
    rt.log.info({ deleted }, 'pruned old sync runs');
  });

  const schedules = new ScheduleRegistry(queue, rt.log);
  await registerRulesJobs(rt, schedules);
  schedules.set({ name: 'prune-sync-runs', cron: '17 3 * * *', queue: PRUNE_SYNC_RUNS_QUEUE, data: {} });
  const refresh = () =>
    syncSchedules(fork(), schedules).catch((error) => rt.log.error({ err: error }, 'could not refresh schedules'));
  await refresh();
  const timer = setInterval(refresh, SCHEDULE_REFRESH_MS);
  timer.unref();
  return {
    schedules,
    queues: QUEUES.map((q) => q.name),
    stop() {
      clearInterval(timer);
      schedules.stopAll();
    },
  };
}
