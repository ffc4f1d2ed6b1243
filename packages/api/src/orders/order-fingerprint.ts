import { createHash } from 'node:crypto';
import type { NormalizedOrder } from '@handoff/shared';

/**
 * SHA-256 over everything the hub keeps of an order except the raw payload and the channel's
 * modification time: equal fingerprints mean a re-import has nothing to write.
 */
export function orderFingerprint(order: NormalizedOrder): string {
  const content = [
    order.number,
    order.status,
    order.channelStatus,
    order.buyer.email,
    order.buyer.name,
    order.buyer.language,
    order.buyer.country,
    order.currency,
    order.total,
    order.taxTotal,
    [...order.tags].sort(),
    order.createdAt.toISOString(),
    order.paidAt?.toISOString() ?? null,
    [...order.items]
      .sort((a, b) => a.externalId.localeCompare(b.externalId))
      .map((i) => [i.externalId, i.sku, i.title, i.quantity, i.unitPrice, i.tax, i.refundedQuantity, i.cancelled]),
  ];
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
