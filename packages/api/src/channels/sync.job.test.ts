import { ChannelError, ChannelRateLimitError } from '@handoff/connectors';
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import type { JobQueue } from '../jobs/queue.js';
import { SYNC_QUEUE, syncJobHandler } from './sync.job.js';
import type { SyncOutcome, SyncService } from './sync.service.js';

/** How a sync job reacts to each way a run can end. */
describe('sync job handler', () => {
  const job = { connectionId: '11111111-1111-4111-8111-111111111111', trigger: 'schedule' as const };
  const counts = { created: 0, updated: 0, unchanged: 0, stale: 0, refused: [] };

  function handlerFor(outcome: SyncOutcome | null) {
    const sent: { name: string; data: unknown; options: Record<string, unknown> }[] = [];
    const queue = {
      send: async (name: string, data: unknown, options: Record<string, unknown>) =>
        void sent.push({ name, data, options }),
    };
    const sync = { run: async () => outcome };
    const handle = syncJobHandler(
      queue as unknown as JobQueue,
      sync as unknown as SyncService,
      () => ({}) as EntityManager,
    );
    return { handle, sent };
  }

  it('does nothing more after a finished run or a missing/disabled connection', async () => {
    for (const outcome of [{ status: 'succeeded', runId: 'r', counts } as const, null]) {
      const { handle, sent } = handlerFor(outcome);
      await expect(handle(job)).resolves.toBeUndefined();
      expect(sent).toEqual([]);
    }
  });

  it('continues a partial run right away', async () => {
    const { handle, sent } = handlerFor({ status: 'partial', runId: 'r', counts });
    await handle(job);
    expect(sent).toEqual([{ name: SYNC_QUEUE, data: job, options: { singletonKey: job.connectionId } }]);
  });

  it('reschedules after the channel’s Retry-After instead of blocking a worker', async () => {
    const { handle, sent } = handlerFor({
      status: 'failed',
      runId: 'r',
      error: new ChannelRateLimitError('slow down', 120_000),
    });
    const before = Date.now();
    await handle(job);
    const startAfter = sent[0]?.options.startAfter as Date;
    expect(sent[0]?.name).toBe(SYNC_QUEUE);
    expect(startAfter.getTime()).toBeGreaterThanOrEqual(before + 120_000);
  });

  it('gives up on a permanent channel error (the failed run tells the merchant) and retries a transient one', async () => {
    const permanent = handlerFor({
      status: 'failed',
      runId: 'r',
      error: new ChannelError('401 bad token', 401, false),
    });
    await expect(permanent.handle(job)).resolves.toBeUndefined();
    expect(permanent.sent).toEqual([]);
    const transient = handlerFor({ status: 'failed', runId: 'r', error: new ChannelError('503', 503, true) });
    await expect(transient.handle(job)).rejects.toThrow('503');
  });
});
