import type { NormalizedOrder } from '@handoff/shared';
import { toMinorUnits } from '../common/money.js';
import { decisiveTransaction, describeShopwareStatus, mapShopwareStatus } from './shopware-status.js';
import type { ShopwareOrder } from './shopware-types.js';

/** Line types that are goods; promotions and credits are folded into the order total. */
const ITEM_TYPES = new Set(['product', 'custom', 'download']);

export function mapShopwareOrder(order: ShopwareOrder): NormalizedOrder {
  const currency = order.currency?.isoCode ?? 'EUR';
  const status = mapShopwareStatus(order);
  const sumTax = (taxes: Array<{ tax: number }> | undefined) =>
    (taxes ?? []).reduce((sum, t) => sum + toMinorUnits(t.tax, currency), 0);
  const customer = order.orderCustomer;
  const name = customer ? [customer.firstName, customer.lastName].filter(Boolean).join(' ') : '';
  const paid = status !== 'pending' && status !== 'cancelled';
  // Shopware has no paid-at field; the decisive transaction's creation is the closest honest value.
  const payment = decisiveTransaction(order.transactions);
  return {
    externalId: order.id,
    number: order.orderNumber,
    status,
    channelStatus: describeShopwareStatus(order),
    buyer: {
      email: customer?.email ?? null,
      name: name === '' ? null : name,
      // locale codes are de-DE style, already BCP-47
      language: order.language?.locale?.code ?? null,
      country: order.billingAddress?.country?.iso ?? null,
    },
    currency,
    total: toMinorUnits(order.amountTotal, currency),
    taxTotal: sumTax(order.price.calculatedTaxes),
    items: (order.lineItems ?? [])
      .filter((line) => ITEM_TYPES.has(line.type) && !line.parentId)
      .map((line) => ({
        externalId: line.id,
        sku: line.payload?.productNumber ?? null,
        title: line.label,
        quantity: line.quantity,
        unitPrice: toMinorUnits(line.unitPrice, currency),
        tax: sumTax(line.price?.calculatedTaxes),
        // Shopware keeps line-level returns in a separate extension; a full refund covers every line.
        refundedQuantity: status === 'refunded' ? line.quantity : 0,
        cancelled: status === 'cancelled',
      })),
    createdAt: new Date(order.orderDateTime ?? order.createdAt),
    updatedAt: new Date(order.updatedAt ?? order.createdAt),
    paidAt: paid && payment ? new Date(payment.createdAt) : null,
    tags: (order.tags ?? []).map((t) => t.name),
    raw: order,
  };
}
