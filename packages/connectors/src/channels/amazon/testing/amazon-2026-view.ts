import type { AmazonMoney, AmazonMoneyV0, AmazonOrder2026 } from '../amazon-types.js';
import type { AmazonFixtureOrder } from './fixtures.js';

/** `PartiallyShipped` → `PARTIALLY_SHIPPED`; v0's `Canceled` is `CANCELLED` in 2026-01-01. */
function fulfillmentStatus(v0: string): string {
  const snake = v0.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
  return snake === 'CANCELED' ? 'CANCELLED' : snake;
}

function money(v0: AmazonMoneyV0 | undefined, fallbackCurrency: string): AmazonMoney | undefined {
  return v0?.Amount === undefined
    ? undefined
    : { amount: v0.Amount, currencyCode: v0.CurrencyCode ?? fallbackCurrency };
}

function sumMoney(values: Array<AmazonMoney | undefined>, currency: string): AmazonMoney {
  // Decimal strings summed via integers of the largest scale present.
  const scale = Math.max(0, ...values.map((v) => v?.amount.split('.')[1]?.length ?? 0));
  const total = values.reduce((s, v) => s + (v ? Math.round(Number(v.amount) * 10 ** scale) : 0), 0);
  return { amount: (total / 10 ** scale).toFixed(scale), currencyCode: currency };
}

/**
 * The fake keeps one store in the v0 shape and shows it as searchOrders would, following the
 * 2026-01-01 model's example: datasets appear only when asked for in `includedData`.
 */
export function toSearchOrdersOrder({ order, items }: AmazonFixtureOrder, includedData: Set<string>): AmazonOrder2026 {
  const currency = order.OrderTotal?.CurrencyCode ?? items[0]?.ItemPrice?.CurrencyCode ?? 'USD';
  const proceeds = includedData.has('PROCEEDS');
  return {
    orderId: order.AmazonOrderId,
    orderAliases: order.SellerOrderId ? [{ aliasId: order.SellerOrderId, aliasType: 'SELLER_ORDER_ID' }] : [],
    createdTime: order.PurchaseDate,
    lastUpdatedTime: order.LastUpdateDate,
    programs: [],
    salesChannel: { channelName: 'AMAZON', marketplaceId: order.MarketplaceId, marketplaceName: 'Amazon.com' },
    ...(includedData.has('BUYER') && order.BuyerInfo
      ? {
          buyer: {
            ...(order.BuyerInfo.BuyerEmail ? { buyerEmail: order.BuyerInfo.BuyerEmail } : {}),
            ...(order.BuyerInfo.BuyerName ? { buyerName: order.BuyerInfo.BuyerName } : {}),
          },
        }
      : {}),
    ...(includedData.has('RECIPIENT')
      ? { recipient: { deliveryAddress: { countryCode: order.ShippingAddress?.CountryCode } } }
      : {}),
    ...(proceeds
      ? {
          proceeds: {
            ...(order.OrderTotal ? { grandTotal: money(order.OrderTotal, currency) } : {}),
            breakdowns: [
              {
                type: 'ITEM',
                subtotal: sumMoney(
                  items.map((i) => money(i.ItemPrice, currency)),
                  currency,
                ),
              },
              {
                type: 'TAX',
                subtotal: sumMoney(
                  items.map((i) => money(i.ItemTax, currency)),
                  currency,
                ),
              },
            ],
          },
        }
      : {}),
    ...(includedData.has('FULFILLMENT')
      ? {
          fulfillment: {
            fulfillmentStatus: fulfillmentStatus(order.OrderStatus),
            fulfilledBy: order.FulfillmentChannel === 'AFN' ? 'AMAZON' : 'MERCHANT',
          },
        }
      : {}),
    orderItems: items.map((item) => {
      const line = money(item.ItemPrice, currency);
      const exp = line?.amount.split('.')[1]?.length ?? 0;
      const unit = line
        ? { amount: (Number(line.amount) / item.QuantityOrdered).toFixed(exp), currencyCode: line.currencyCode }
        : undefined;
      return {
        orderItemId: item.OrderItemId,
        quantityOrdered: item.QuantityOrdered,
        product: {
          asin: item.ASIN,
          title: item.Title,
          sellerSku: item.SellerSKU,
          ...(unit ? { price: { unitPrice: unit } } : {}),
        },
        ...(proceeds && line
          ? {
              proceeds: {
                proceedsTotal: sumMoney([line, money(item.ItemTax, currency)], currency),
                breakdowns: [
                  { type: 'ITEM', subtotal: line },
                  ...(item.ItemTax ? [{ type: 'TAX', subtotal: money(item.ItemTax, currency)! }] : []),
                ],
              },
            }
          : {}),
        ...(includedData.has('FULFILLMENT')
          ? {
              fulfillment: {
                quantityFulfilled: item.QuantityShipped ?? 0,
                quantityUnfulfilled: item.QuantityOrdered - (item.QuantityShipped ?? 0),
              },
            }
          : {}),
      };
    }),
  };
}
