import { isPaidStatus, type NormalizedOrder } from '@handoff/shared';
import { toMinorUnits } from '../common/money.js';
import { mapAmazonStatus } from './amazon-status.js';
import type { AmazonMoneyV0, AmazonOrderItemV0, AmazonOrderV0 } from './amazon-types.js';

function minor(money: AmazonMoneyV0 | undefined, currency: string): number {
  return money?.Amount ? toMinorUnits(money.Amount, money.CurrencyCode ?? currency) : 0;
}

/** An Orders v0 order plus the items from getOrderItems. */
export function mapAmazonOrderV0(order: AmazonOrderV0, items: AmazonOrderItemV0[]): NormalizedOrder {
  const status = mapAmazonStatus(order.OrderStatus);
  // Pending and cancelled orders may come without OrderTotal.
  const currency =
    order.OrderTotal?.CurrencyCode ?? items.find((i) => i.ItemPrice?.CurrencyCode)?.ItemPrice?.CurrencyCode ?? 'USD';
  const lines = items.map((item) => {
    const linePrice = minor(item.ItemPrice, currency);
    return {
      externalId: item.OrderItemId,
      sku: item.SellerSKU ?? null,
      title: item.Title ?? item.ASIN ?? item.OrderItemId,
      quantity: item.QuantityOrdered,
      unitPrice: item.QuantityOrdered > 0 ? Math.round(linePrice / item.QuantityOrdered) : linePrice,
      tax: minor(item.ItemTax, currency),
      refundedQuantity: 0,
      cancelled: status === 'cancelled',
    };
  });
  const taxTotal = lines.reduce((s, l) => s + l.tax, 0);
  const total = order.OrderTotal?.Amount
    ? minor(order.OrderTotal, currency)
    : items.reduce((s, i) => s + minor(i.ItemPrice, currency), 0) + taxTotal;
  const cancelRequested = items.some((i) => i.BuyerRequestedCancel?.IsBuyerRequestedCancel === 'true');
  return {
    externalId: order.AmazonOrderId,
    number: order.AmazonOrderId,
    status,
    channelStatus: order.OrderStatus,
    buyer: {
      email: order.BuyerInfo?.BuyerEmail ?? null,
      name: order.BuyerInfo?.BuyerName ?? null,
      language: null,
      country: order.ShippingAddress?.CountryCode ?? null,
    },
    currency,
    total,
    taxTotal,
    items: lines,
    createdAt: new Date(order.PurchaseDate),
    updatedAt: new Date(order.LastUpdateDate),
    // Amazon does not say when payment was authorised; the purchase time is the closest fact.
    paidAt: isPaidStatus(status) ? new Date(order.PurchaseDate) : null,
    tags: cancelRequested ? ['cancel-requested'] : [],
    raw: { order, items },
  };
}
