import type { EntityManager } from '@mikro-orm/postgresql';
import type { HubStatus } from '@handoff/shared';
import { sql } from '../db/sql.js';
import type { TriggerKind } from './order-trigger.entity.js';
import type { TriggerDraft } from './order-transitions.js';

const CHUNK = 1000;

export interface TriggerRow {
  orderId: string;
  draft: TriggerDraft;
}

/**
 * Inserts triggers, skipping any whose (order, dedup key) exists: that unique index is what makes
 * "became paid" fire once per order. Returns the ids actually inserted.
 */
export async function insertTriggers(
  tx: EntityManager,
  merchantId: string,
  triggers: TriggerRow[],
  now: Date,
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < triggers.length; start += CHUNK) {
    const chunk = triggers.slice(start, start + CHUNK);
    const values = chunk.map(() => '(gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?)').join(', ');
    const params = chunk.flatMap(({ orderId, draft }) => [
      merchantId,
      orderId,
      draft.kind,
      draft.dedupKey,
      draft.toStatus ?? null,
      draft.data ? JSON.stringify(draft.data) : null,
      now,
    ]);
    const rows = await sql<{ id: string }>(
      tx,
      `insert into order_trigger (id, merchant_id, order_id, kind, dedup_key, to_status, data, created_at)
       values ${values} on conflict (order_id, dedup_key) do nothing returning id`,
      params,
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** A trigger as listeners get it (plain values: a dispatch page holds hundreds). */
export interface DispatchedTrigger {
  id: string;
  merchantId: string;
  orderId: string;
  kind: TriggerKind;
  toStatus: HubStatus | null;
  data: Record<string, unknown> | null;
}

/** The given triggers not dispatched yet, oldest first (an order's in the order they happened). */
export function undispatchedTriggers(em: EntityManager, ids: string[]): Promise<DispatchedTrigger[]> {
  return sql<DispatchedTrigger>(
    em,
    `select id, merchant_id as "merchantId", order_id as "orderId", kind, to_status as "toStatus", data
       from order_trigger where id = any(?::uuid[]) and dispatched_at is null
      order by created_at, id`,
    [ids],
  );
}

/** Marks triggers dispatched (those another worker marked meanwhile keep their time). */
export async function markDispatched(em: EntityManager, ids: string[], at: Date): Promise<void> {
  await sql(em, 'update order_trigger set dispatched_at = ? where id = any(?::uuid[]) and dispatched_at is null', [
    at,
    ids,
  ]);
}
