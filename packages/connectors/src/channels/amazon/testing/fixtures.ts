import type { AmazonOrderItemV0, AmazonOrderV0 } from '../amazon-types.js';

/** One order as the fake stores it: the Orders v0 order and its getOrderItems lines. */
export interface AmazonFixtureOrder {
  order: AmazonOrderV0;
  items: AmazonOrderItemV0[];
}

export interface AmazonOrderSeed {
  index: number;
  status?: string;
  currency?: string;
  marketplaceId?: string;
  /** Unit prices as decimal strings, one line each. */
  unitPrices?: string[];
  quantities?: number[];
  /** Tax per line, decimal string. */
  tax?: string;
  createdAt?: Date;
  updatedAt?: Date;
  email?: string | null;
}

export const AMAZON_US = 'ATVPDKIKX0DER';
const BASE_TIME = Date.parse('2025-03-01T10:00:00Z');
const EXPONENT: Record<string, number> = { JPY: 0, KWD: 3 };

export function amazonOrderId(index: number): string {
  return `114-${String(1000000 + index).padStart(7, '0')}-${String(4000000 + index * 13).padStart(7, '0')}`;
}

function decimal(minor: number, currency: string): string {
  const exp = EXPONENT[currency] ?? 2;
  return (minor / 10 ** exp).toFixed(exp);
}

function toMinor(value: string, currency: string): number {
  return Math.round(Number(value) * 10 ** (EXPONENT[currency] ?? 2));
}

/** Shaped like the getOrders / getOrderItems examples in the SP-API Orders v0 model. */
export function makeAmazonOrder(seed: AmazonOrderSeed): AmazonFixtureOrder {
  const currency = seed.currency ?? 'USD';
  const status = seed.status ?? 'Unshipped';
  const created = seed.createdAt ?? new Date(BASE_TIME + seed.index * 60_000);
  const updated = seed.updatedAt ?? created;
  const id = amazonOrderId(seed.index);
  const prices = seed.unitPrices ?? ['14.99'];
  const items: AmazonOrderItemV0[] = prices.map((price, n) => {
    const quantity = seed.quantities?.[n] ?? 1;
    return {
      ASIN: `B0${String(seed.index * 10 + n).padStart(8, '0')}`,
      OrderItemId: `${68828574383266 + seed.index * 10 + n}`,
      SellerSKU: `EBOOK-${n + 1}`,
      Title: `Digital Course ${n + 1}`,
      QuantityOrdered: quantity,
      QuantityShipped: status === 'Shipped' ? quantity : 0,
      ProductInfo: { NumberOfItems: '1' },
      ItemPrice: { CurrencyCode: currency, Amount: decimal(toMinor(price, currency) * quantity, currency) },
      ItemTax: { CurrencyCode: currency, Amount: seed.tax ?? decimal(0, currency) },
      PromotionDiscount: { CurrencyCode: currency, Amount: decimal(0, currency) },
      IsGift: 'false',
      IsTransparency: false,
      BuyerRequestedCancel: { IsBuyerRequestedCancel: 'false', BuyerCancelReason: '' },
    };
  });
  const total = items.reduce(
    (s, i) => s + toMinor(i.ItemPrice!.Amount!, currency) + toMinor(i.ItemTax!.Amount!, currency),
    0,
  );
  const email = seed.email === undefined ? `${id.replace(/-/g, '')}@marketplace.amazon.com` : seed.email;
  const pending = status === 'Pending' || status === 'PendingAvailability';
  const order: AmazonOrderV0 = {
    AmazonOrderId: id,
    SellerOrderId: id,
    PurchaseDate: created.toISOString(),
    LastUpdateDate: updated.toISOString(),
    OrderStatus: status,
    FulfillmentChannel: 'MFN',
    SalesChannel: 'Amazon.com',
    ShipServiceLevel: 'Std US D2D Dom',
    // Pending orders come without totals, as Amazon documents.
    ...(pending ? {} : { OrderTotal: { CurrencyCode: currency, Amount: decimal(total, currency) } }),
    NumberOfItemsShipped: status === 'Shipped' ? items.length : 0,
    NumberOfItemsUnshipped: status === 'Shipped' ? 0 : items.length,
    PaymentMethod: 'Other',
    PaymentMethodDetails: ['Standard'],
    MarketplaceId: seed.marketplaceId ?? AMAZON_US,
    ShipmentServiceLevelCategory: 'Standard',
    OrderType: 'StandardOrder',
    EarliestShipDate: created.toISOString(),
    LatestShipDate: new Date(created.getTime() + 2 * 86_400_000).toISOString(),
    IsBusinessOrder: false,
    IsPrime: false,
    IsPremiumOrder: false,
    IsGlobalExpressEnabled: false,
    IsReplacementOrder: 'false',
    IsSoldByAB: false,
    IsISPU: false,
    IsAccessPointOrder: false,
    HasRegulatedItems: false,
    ShippingAddress: { StateOrRegion: 'WA', PostalCode: '98101', City: 'Seattle', CountryCode: 'US' },
    ...(email ? { BuyerInfo: { BuyerEmail: email } } : { BuyerInfo: {} }),
  };
  return { order, items };
}

export function makeAmazonOrders(
  count: number,
  from = 1,
  seed: Omit<AmazonOrderSeed, 'index'> = {},
): AmazonFixtureOrder[] {
  return Array.from({ length: count }, (_, i) => makeAmazonOrder({ ...seed, index: from + i }));
}

/** The same order in another status, modified at `at`. */
export function withAmazonStatus(fixture: AmazonFixtureOrder, status: string, at: Date): AmazonFixtureOrder {
  const next = structuredClone(fixture);
  next.order.OrderStatus = status;
  next.order.LastUpdateDate = at.toISOString();
  if (status === 'Shipped') {
    for (const item of next.items) item.QuantityShipped = item.QuantityOrdered;
  }
  return next;
}
