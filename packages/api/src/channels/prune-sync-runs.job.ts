import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { SyncRun } from './sync-run.entity.js';

export const PRUNE_SYNC_RUNS_QUEUE = 'prune-sync-runs';
const KEEP_DAYS = 90;

/** Sync history is kept 90 days; older runs are deleted daily. */
export async function pruneSyncRuns(em: EntityManager, clock: Clock): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - KEEP_DAYS * 86_400_000);
  return em.nativeDelete(SyncRun, { startedAt: { $lt: cutoff }, status: { $ne: 'running' } });
}
