import type { EntityManager } from '@mikro-orm/postgresql';
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
    const rows = await tx.getConnection().execute<{ id: string }[]>(
      `insert into order_trigger (id, merchant_id, order_id, kind, dedup_key, to_status, data, created_at)
       values ${values} on conflict (order_id, dedup_key) do nothing returning id`,
      params,
      'all',
      tx.getTransactionContext(),
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}
