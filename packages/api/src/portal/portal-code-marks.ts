import type { EntityManager } from '@mikro-orm/postgresql';
import { hashSecret } from '@handoff/shared';
import { sql } from '../db/sql.js';

/**
 * Stored messages never hold a working portal code: each live code in a rendered message is
 * replaced by a mark naming its order, `[[portal-code:<order id>]]`, before the row is written. The
 * send path puts the order's current code back; readers of the row (GraphQL, a database dump)
 * see the mark or `••••••`.
 */
const MARK = /\[\[portal-code:([0-9a-f-]{36})\]\]/g;
/** Anything shaped like a code (32 base64url characters standing alone); only live ones are marked. */
const CANDIDATE = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{32}(?![A-Za-z0-9_-])/g;
export const REDACTED_CODE = '••••••';

const markOf = (orderId: string) => `[[portal-code:${orderId}]]`;

/** The texts with every live portal code replaced by its order's mark (one lookup for all texts). */
export async function markPortalCodes(em: EntityManager, texts: string[]): Promise<string[]> {
  const candidates = [...new Set(texts.flatMap((t) => t.match(CANDIDATE) ?? []))];
  if (!candidates.length) return texts;
  const codeOf = new Map(candidates.map((c) => [hashSecret(c), c]));
  const live = await sql<{ code_hash: string; order_id: string }>(
    em,
    'select code_hash, order_id from portal_code where code_hash = any(?::text[])',
    [[...codeOf.keys()]],
  );
  if (!live.length) return texts;
  const orderOf = new Map(live.map((r) => [codeOf.get(r.code_hash)!, r.order_id]));
  return texts.map((t) => t.replace(CANDIDATE, (c) => (orderOf.has(c) ? markOf(orderOf.get(c)!) : c)));
}

/** The orders whose codes the texts mark. */
export function markedOrders(texts: string[]): string[] {
  return [...new Set(texts.flatMap((t) => [...t.matchAll(MARK)].map((m) => m[1]!)))];
}

/** The text with each mark replaced by its order's current code; throws when an order has none. */
export function fillPortalCodes(text: string, codes: ReadonlyMap<string, string>): string {
  return text.replace(MARK, (_, orderId: string) => {
    const code = codes.get(orderId);
    if (!code) throw new Error(`order ${orderId} has no portal code`);
    return code;
  });
}

/** The text as readers see it: every marked code shown as dots. */
export function redactPortalCodes(text: string): string {
  return text.replace(MARK, REDACTED_CODE);
}
