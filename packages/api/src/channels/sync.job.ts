import { ChannelError, ChannelRateLimitError } from '@handoff/connectors';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobQueue, QueueDefinition } from '../jobs/queue.js';
import type { ScheduleRegistry } from '../jobs/schedules.js';
import { ChannelConnection } from './channel-connection.entity.js';
import type { SyncTrigger } from './sync-run.entity.js';
import type { SyncService } from './sync.service.js';

export const SYNC_QUEUE = 'channel-sync';

/**
 * `stately` + the connection id as singleton key: one queued and one running sync per connection,
 * never two at once. A dead worker's run expires after the worker lease (renewed while a run
 * works, see JobQueue) and is retried after 5–10 s: the connection is free again within a minute.
 */
export const SYNC_QUEUE_DEFINITION: QueueDefinition = {
  name: SYNC_QUEUE,
  policy: 'stately',
  retryLimit: 8,
  retryDelay: 5,
  retryBackoff: true,
  // Runs yield after SYNC_TIME_BUDGET_MS (10 min); one still running well past that is hung.
  maxRunSeconds: 15 * 60,
};

export interface SyncJob {
  connectionId: string;
  trigger: SyncTrigger;
}

export function enqueueSync(queue: JobQueue, job: SyncJob, startAfter?: Date): Promise<string | null> {
  return queue.send(SYNC_QUEUE, job, { singletonKey: job.connectionId, ...(startAfter && { startAfter }) });
}

/** Runs one sync; decides whether a failure is retried now (pg-boss), later (rate limit) or not at all. */
export function syncJobHandler(queue: JobQueue, sync: SyncService, em: () => EntityManager) {
  return async (job: SyncJob): Promise<void> => {
    const outcome = await sync.run(em(), job.connectionId, job.trigger);
    if (!outcome) return;
    if (outcome.status !== 'failed') {
      if (outcome.status === 'partial') await enqueueSync(queue, job); // continue from the cursor
      return;
    }
    const { error } = outcome;
    if (error instanceof ChannelRateLimitError) {
      await enqueueSync(queue, job, new Date(Date.now() + error.retryAfterMs));
      return;
    }
    // Bad credentials or a rejected request: retrying won't help; the failed run tells the merchant.
    if (error instanceof ChannelError && !error.retryable) return;
    throw error;
  };
}

/** Keeps the worker's cron schedules equal to the enabled connections (called at start and every minute). */
export async function syncSchedules(em: EntityManager, schedules: ScheduleRegistry): Promise<void> {
  const connections = await em.find(
    ChannelConnection,
    { enabled: true, kind: { $ne: 'generic' } },
    { fields: ['id', 'schedule'] },
  );
  const wanted = new Set<string>();
  for (const c of connections) {
    const name = `sync:${c.id}`;
    wanted.add(name);
    schedules.set({
      name,
      cron: c.schedule,
      queue: SYNC_QUEUE,
      data: { connectionId: c.id, trigger: 'schedule' },
      singletonKey: c.id,
    });
  }
  for (const name of schedules.names()) if (name.startsWith('sync:') && !wanted.has(name)) schedules.remove(name);
}
