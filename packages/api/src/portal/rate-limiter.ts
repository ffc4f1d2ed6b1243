import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface RateLimit {
  /** Hits allowed per window. */
  max: number;
  windowSeconds: number;
}

/**
 * Counts hits per key in fixed windows with one atomic upsert; `allowed` is false once the window
 * holds more than `max` hits (parallel requests count exactly).
 */
export class RateLimiter {
  async hit(em: EntityManager, parts: string[], limit: RateLimit, now: Date): Promise<boolean> {
    const key = createHash('sha256').update(parts.join('\n')).digest('hex');
    const cutoff = new Date(now.getTime() - limit.windowSeconds * 1000);
    const result = await em.getKnex().raw(
      `insert into portal_rate_limit (key, hits, window_started_at, last_hit_at) values (:key, 1, :now, :now)
       on conflict (key) do update set
         hits = case when portal_rate_limit.window_started_at <= :cutoff then 1 else portal_rate_limit.hits + 1 end,
         window_started_at = case when portal_rate_limit.window_started_at <= :cutoff then :now
                                  else portal_rate_limit.window_started_at end,
         last_hit_at = :now
       returning hits`,
      { key, now, cutoff },
    );
    const hits = (result as { rows: { hits: number }[] }).rows[0]!.hits;
    return hits <= limit.max;
  }
}
