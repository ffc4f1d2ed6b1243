import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '@handoff/shared';
import { keysetPage } from '../db/keyset-page.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import type { SuspensionPolicy } from './download-settings.js';
import { Suspension } from './suspension.entity.js';

export interface AttemptTarget {
  /** null: an attempt that belongs to no merchant (an unknown portal code). */
  merchantId: string | null;
  orderId: string | null;
  ip: string;
  /** e.g. `order:<uuid>` */
  target: string;
}

export interface FailureResult {
  failures: number;
  suspendedUntil: Date | null;
}

/**
 * Counts invalid attempts per IP + target and suspends past the threshold (the Zoner seed's
 * "InvalidAccessCount … TempSuspended"). Counting is one atomic upsert, so N parallel bad attempts
 * count exactly N and suspend at the threshold, not at threshold + k.
 */
export class SuspensionService {
  constructor(readonly policy: SuspensionPolicy) {}

  /** The active suspension of this IP at this target, if any. */
  async active(em: EntityManager, ip: string, target: string, now: Date): Promise<Suspension | null> {
    return em.findOne(Suspension, { ip, target, suspendedUntil: { $gt: now } });
  }

  async registerFailure(em: EntityManager, at: AttemptTarget, now: Date): Promise<FailureResult> {
    const { threshold, windowSeconds, durationSeconds } = this.policy;
    const cutoff = new Date(now.getTime() - windowSeconds * 1000);
    const until = new Date(now.getTime() + durationSeconds * 1000);
    // A new window starts when the old one is over or the last suspension has ended.
    const fresh = `(suspension.window_started_at <= :cutoff or suspension.suspended_until <= :now)`;
    const next = `(case when ${fresh} then 1 else suspension.failures + 1 end)`;
    const sql = `
      insert into suspension (id, merchant_id, order_id, ip, target, failures, window_started_at, last_failure_at, suspended_until, created_at)
      values (:id, :merchantId, :orderId, :ip, :target, 1, :now, :now, case when 1 >= :threshold then cast(:until as timestamptz) end, :now)
      on conflict (ip, target) do update set
        failures = ${next},
        window_started_at = case when ${fresh} then :now else suspension.window_started_at end,
        suspended_until = case
          when ${next} >= :threshold then coalesce(case when suspension.suspended_until > :now then suspension.suspended_until end, cast(:until as timestamptz))
          when ${fresh} then null
          else suspension.suspended_until end,
        last_failure_at = :now
      returning failures, suspended_until`;
    const knex = em.getKnex();
    const result = await knex.raw(sql, {
      id: randomUUID(),
      merchantId: at.merchantId,
      orderId: at.orderId,
      ip: at.ip,
      target: at.target,
      now,
      cutoff,
      until,
      threshold,
    });
    const row = (result as { rows: { failures: number; suspended_until: Date | null }[] }).rows[0]!;
    const suspendedUntil = row.suspended_until ? new Date(row.suspended_until) : null;
    return { failures: row.failures, suspendedUntil: suspendedUntil && suspendedUntil > now ? suspendedUntil : null };
  }

  /**
   * The merchant's suspensions: those at its own orders. Attempts at no order (unknown portal
   * codes) are the instance's: their IPs are other people's business (see forInstance).
   */
  async list(ctx: MerchantContext, first: number, after: string | null | undefined, activeOnly: boolean) {
    const where: Record<string, unknown> = { merchant: ctx.actor.merchantId, order: { $ne: null } };
    if (activeOnly) where.suspendedUntil = { $gt: ctx.clock.now() };
    return keysetPage(
      ctx.em,
      Suspension,
      where,
      { key: 'lastFailureAt', direction: 'desc', kind: 'date' },
      first,
      after,
    );
  }

  /** Ends one of the merchant's suspensions (see list) now and starts the count again. */
  async lift(ctx: MerchantContext, id: string): Promise<Suspension> {
    const own = { merchant: ctx.actor.merchantId, order: { $ne: null } };
    return this.liftWhere(ctx.em, { id, ...own }, ctx.actor.name, ctx.clock.now());
  }

  /** For operators: the suspensions that belong to no merchant, newest first. */
  async forInstance(em: EntityManager, now: Date, activeOnly: boolean): Promise<Suspension[]> {
    return em.find(
      Suspension,
      { merchant: null, ...(activeOnly && { suspendedUntil: { $gt: now } }) },
      { orderBy: { lastFailureAt: 'desc', id: 'desc' }, limit: 1000 },
    );
  }

  /** For operators: ends any suspension now. */
  async liftAny(em: EntityManager, id: string, by: string, now: Date): Promise<Suspension> {
    return this.liftWhere(em, { id }, by, now);
  }

  private async liftWhere(em: EntityManager, where: { id: string }, by: string, now: Date): Promise<Suspension> {
    const found = isUuid(where.id) ? await em.findOne(Suspension, where) : null;
    if (!found) throw notFound('Suspension');
    await em.nativeUpdate(
      Suspension,
      { id: found.id },
      { suspendedUntil: null, failures: 0, windowStartedAt: now, liftedAt: now, liftedBy: by },
    );
    return em.findOneOrFail(Suspension, { id: found.id }, { refresh: true });
  }
}
