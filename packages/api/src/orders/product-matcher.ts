import type { EntityManager } from '@mikro-orm/postgresql';
import type { NormalizedOrder } from '@handoff/shared';
import { ChannelListing } from '../catalog/channel-listing.entity.js';
import { Product } from '../catalog/product.entity.js';

/**
 * Maps a channel SKU to a catalog product: the connection's listing first, else a product with the
 * same SKU. Loaded once per batch (two queries), then answered from memory.
 */
export class ProductMatcher {
  private constructor(private readonly bySku: Map<string, Product>) {}

  static async load(
    em: EntityManager,
    target: { connectionId: string; merchantId: string },
    orders: NormalizedOrder[],
  ) {
    const skus = [...new Set(orders.flatMap((o) => o.items.map((i) => i.sku)).filter((s): s is string => Boolean(s)))];
    const bySku = new Map<string, Product>();
    if (skus.length) {
      const products = await em.find(Product, { merchant: target.merchantId, sku: { $in: skus } });
      for (const product of products) bySku.set(product.sku, product);
      const listings = await em.find(
        ChannelListing,
        { connection: target.connectionId, channelSku: { $in: skus } },
        { populate: ['product'] },
      );
      for (const listing of listings) bySku.set(listing.channelSku, listing.product);
    }
    return new ProductMatcher(bySku);
  }

  productFor(sku: string | null): Product | null {
    return sku ? (this.bySku.get(sku) ?? null) : null;
  }
}
