import { invalidInput } from '@handoff/shared';
import { isUuid } from '../db/uuid.js';
import { decodeCursor, encodeCursor, type Page } from '../graphql/relay.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { UnmappedItem } from './unmapped-item.types.js';

interface Row {
  sku: string;
  connection_id: string;
  title: string;
  order_count: number;
  last_seen_at: Date | string;
}

/** Lines without a product, grouped by (connection, SKU): one aggregate statement per page. */
export class UnmappedItemService {
  async list(ctx: MerchantContext, first: number, after?: string | null): Promise<Page<UnmappedItem>> {
    const params: unknown[] = [ctx.actor.merchantId];
    let keyset = '';
    if (after) {
      const [sku, connectionId] = decodeCursor(after, ['string', 'string']) as [string, string];
      if (!isUuid(connectionId)) throw invalidInput('after is not a valid cursor', 'after');
      keyset = 'and (oi.sku, o.connection_id) > (?, ?::uuid)';
      params.push(sku, connectionId);
    }
    params.push(first + 1);
    const rows = await ctx.em.getConnection().execute<Row[]>(
      `select oi.sku, o.connection_id, min(oi.title) as title,
              count(distinct oi.order_id)::int as order_count, max(o.placed_at) as last_seen_at
         from order_item oi
         join "order" o on o.id = oi.order_id
        where oi.merchant_id = ? and oi.product_id is null and oi.sku is not null and oi.sku <> ''
          ${keyset}
        group by oi.sku, o.connection_id
        order by oi.sku, o.connection_id
        limit ?`,
      params,
    );
    const nodes = rows.slice(0, first).map((row) =>
      Object.assign(new UnmappedItem(), {
        sku: row.sku,
        title: row.title,
        orderCount: row.order_count,
        lastSeenAt: new Date(row.last_seen_at),
        connectionId: row.connection_id,
      }),
    );
    return {
      nodes,
      cursors: nodes.map((n) => encodeCursor([n.sku, n.connectionId])),
      hasNextPage: rows.length > first,
      hasPreviousPage: Boolean(after),
    };
  }
}
