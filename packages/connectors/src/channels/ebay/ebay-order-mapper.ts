import type { NormalizedOrder, NormalizedOrderItem } from '@handoff/shared';
import { amountToMinor } from './ebay-money.js';
import { mapEbayStatus } from './ebay-status.js';
import type { EbayLineItem, EbayOrder } from './ebay-types.js';

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function mapLine(line: EbayLineItem, order: EbayOrder): NormalizedOrderItem {
  const lineCost = amountToMinor(line.lineItemCost);
  const quantity = line.quantity;
  // lineItemCost is unit price × quantity, before tax and shipping.
  const unitPrice = quantity > 0 ? Math.round(lineCost / quantity) : lineCost;
  const tax = sum(
    [...(line.taxes ?? []), ...(line.ebayCollectAndRemitTaxes ?? [])].map((t) => amountToMinor(t.amount)),
  );
  const refunded = sum((line.refunds ?? []).map((r) => amountToMinor(r.amount)));
  const lineTotal = line.total ? amountToMinor(line.total) : lineCost + tax;

  // eBay refunds amounts, not quantities: a refund covering the line (or the whole order) returns all
  // units, a smaller one as many whole units as it pays for.
  let refundedQuantity = 0;
  if (order.orderPaymentStatus === 'FULLY_REFUNDED' || (refunded > 0 && refunded >= lineTotal))
    refundedQuantity = quantity;
  else if (refunded > 0 && unitPrice > 0) refundedQuantity = Math.min(quantity, Math.floor(refunded / unitPrice));

  return {
    externalId: line.lineItemId,
    sku: line.sku ?? null,
    title: line.title,
    quantity,
    unitPrice,
    tax,
    refundedQuantity,
    cancelled: order.cancelStatus?.cancelState === 'CANCELED',
  };
}

export function mapEbayOrder(order: EbayOrder): NormalizedOrder {
  const { status, channelStatus, tags } = mapEbayStatus(order);
  const items = (order.lineItems ?? []).map((line) => mapLine(line, order));
  const total = order.pricingSummary?.total;
  const currency = total?.currency ?? order.lineItems?.[0]?.lineItemCost.currency ?? 'USD';
  const payment = order.paymentSummary?.payments?.find((p) => p.paymentDate && p.paymentStatus !== 'FAILED');
  const registration = order.buyer?.buyerRegistrationAddress;

  return {
    externalId: order.orderId,
    number: order.orderId,
    status,
    channelStatus,
    buyer: {
      email: registration?.email ?? null,
      name: registration?.fullName ?? order.buyer?.username ?? null,
      language: null,
      country: registration?.contactAddress?.countryCode ?? null,
    },
    currency,
    total: amountToMinor(total),
    taxTotal: sum(items.map((i) => i.tax)),
    items,
    createdAt: new Date(order.creationDate),
    updatedAt: new Date(order.lastModifiedDate),
    paidAt: status === 'pending' || !payment?.paymentDate ? null : new Date(payment.paymentDate),
    tags,
    raw: order,
  };
}
