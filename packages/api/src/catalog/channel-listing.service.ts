import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { notFound } from '@handoff/shared';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { ChannelListing } from './channel-listing.entity.js';
import { Product } from './product.entity.js';

const mapSchema = z.object({ channelSku: z.string().trim().min(1).max(120) });

export interface MapResult {
  listing: ChannelListing;
  /** Existing lines of the connection with this SKU and no product that now point at it. */
  updatedItems: number;
}

/** Channel SKU → product. Future imports use the listing (ProductMatcher); mapping also fixes past lines. */
export class ChannelListingService {
  async map(ctx: MerchantContext, connectionId: string, channelSku: string, productId: string): Promise<MapResult> {
    const { channelSku: sku } = parseInput(mapSchema, { channelSku });
    const merchantId = ctx.actor.merchantId;
    const connection = isUuid(connectionId)
      ? await ctx.em.findOne(ChannelConnection, { id: connectionId, merchant: merchantId }, { fields: ['id'] })
      : null;
    if (!connection) throw notFound('Channel connection');
    const product = isUuid(productId) ? await ctx.em.findOne(Product, { id: productId, merchant: merchantId }) : null;
    if (!product) throw notFound('Product');

    const { listingId, updatedItems } = await ctx.em.transactional(async (tx) => {
      const conn = tx.getConnection();
      const trx = tx.getTransactionContext();
      // The importer's per-connection lock: an import running now cannot leave lines unmapped behind us.
      await conn.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [connection.id], 'all', trx);
      const [listing] = await conn.execute<{ id: string }[]>(
        `insert into channel_listing (id, merchant_id, connection_id, channel_sku, product_id, created_at)
         values (?, ?, ?, ?, ?, ?)
         on conflict (connection_id, channel_sku) do update set product_id = excluded.product_id
         returning id`,
        [randomUUID(), merchantId, connection.id, sku, product.id, ctx.clock.now()],
        'all',
        trx,
      );
      const updated = await conn.execute<{ affectedRows: number }>(
        `update order_item oi set product_id = ?
           from "order" o
          where o.id = oi.order_id and o.connection_id = ? and oi.merchant_id = ?
            and oi.sku = ? and oi.product_id is null`,
        [product.id, connection.id, merchantId, sku],
        'run',
        trx,
      );
      return { listingId: listing!.id, updatedItems: updated.affectedRows };
    });
    const listing = await ctx.em.findOneOrFail(
      ChannelListing,
      { id: listingId, merchant: merchantId },
      { refresh: true },
    );
    return { listing, updatedItems };
  }
}
