import { isPaidStatus, type NormalizedOrder } from '@handoff/shared';
import { toMinorUnits } from '../common/money.js';
import { mapAmazonStatus } from './amazon-status.js';
import type { AmazonBreakdown, AmazonMoney, AmazonOrder2026 } from './amazon-types.js';

function minor(money: AmazonMoney | undefined): number {
  return money ? toMinorUnits(money.amount, money.currencyCode) : 0;
}

function taxOf(breakdowns: AmazonBreakdown[] | undefined): number {
  return (breakdowns ?? []).filter((b) => b.type === 'TAX').reduce((s, b) => s + minor(b.subtotal), 0);
}

/** A searchOrders (2026-01-01) order; items come inline, prices per unit. */
export function mapAmazonOrder2026(order: AmazonOrder2026): NormalizedOrder {
  const fulfillmentStatus = order.fulfillment?.fulfillmentStatus ?? 'PENDING';
  const status = mapAmazonStatus(fulfillmentStatus);
  const currency =
    order.proceeds?.grandTotal?.currencyCode ??
    order.orderItems.find((i) => i.product?.price?.unitPrice)?.product?.price?.unitPrice?.currencyCode ??
    'USD';
  const items = order.orderItems.map((item) => ({
    externalId: item.orderItemId,
    sku: item.product?.sellerSku ?? null,
    title: item.product?.title ?? item.product?.asin ?? item.orderItemId,
    quantity: item.quantityOrdered,
    unitPrice: minor(item.product?.price?.unitPrice),
    tax: taxOf(item.proceeds?.breakdowns),
    refundedQuantity: 0,
    cancelled: status === 'cancelled',
  }));
  const orderTax = taxOf(order.proceeds?.breakdowns);
  const itemsTax = items.reduce((s, i) => s + i.tax, 0);
  return {
    externalId: order.orderId,
    number: order.orderId,
    status,
    channelStatus: fulfillmentStatus,
    buyer: {
      email: order.buyer?.buyerEmail ?? null,
      name: order.buyer?.buyerName ?? null,
      language: null,
      country: order.recipient?.deliveryAddress?.countryCode ?? null,
    },
    currency,
    total: order.proceeds?.grandTotal
      ? minor(order.proceeds.grandTotal)
      : items.reduce((s, i) => s + i.unitPrice * i.quantity + i.tax, 0),
    taxTotal: orderTax || itemsTax,
    items,
    createdAt: new Date(order.createdTime),
    updatedAt: new Date(order.lastUpdatedTime),
    paidAt: isPaidStatus(status) ? new Date(order.createdTime) : null,
    tags: order.orderItems.some((i) => i.cancellation?.cancellationRequest) ? ['cancel-requested'] : [],
    raw: order,
  };
}
