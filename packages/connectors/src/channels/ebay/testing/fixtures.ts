import type { EbayAmount } from '../ebay-money.js';
import type { EbayOrder } from '../ebay-types.js';

/** Options for one generated order; the result follows the shape of eBay's getOrders sample. */
export interface EbayOrderSeed {
  index: number;
  currency?: string;
  /** Unit prices as decimal strings, one line each (default one line at "9.99"). */
  unitPrices?: string[];
  quantities?: number[];
  /** Per-line tax as a decimal string (default none). */
  tax?: string;
  createdAt?: Date;
  modifiedAt?: Date;
  email?: string | null;
}

const BASE_TIME = Date.parse('2025-03-01T10:00:00.000Z');

function amount(value: number, currency: string, exponent: number): EbayAmount {
  return { value: (value / 10 ** exponent).toFixed(exponent), currency };
}

function exponentOf(currency: string): number {
  return currency === 'JPY' ? 0 : currency === 'KWD' ? 3 : 2;
}

function toMinor(decimal: string, exponent: number): number {
  return Math.round(Number(decimal) * 10 ** exponent);
}

export function ebayOrderId(index: number): string {
  return `12-${String(10000 + index).padStart(5, '0')}-${String(60000 + index * 7).padStart(5, '0')}`;
}

export function makeEbayOrder(seed: EbayOrderSeed): EbayOrder {
  const currency = seed.currency ?? 'USD';
  const exp = exponentOf(currency);
  const created = seed.createdAt ?? new Date(BASE_TIME + seed.index * 60_000);
  const modified = seed.modifiedAt ?? created;
  const prices = seed.unitPrices ?? ['9.99'];
  const orderId = ebayOrderId(seed.index);
  const lineItems = prices.map((price, n) => {
    const quantity = seed.quantities?.[n] ?? 1;
    const cost = toMinor(price, exp) * quantity;
    const tax = seed.tax ? toMinor(seed.tax, exp) : 0;
    return {
      lineItemId: `${10000000000 + seed.index * 10 + n}`,
      legacyItemId: `${110000000000 + seed.index}`,
      sku: `EBOOK-${n + 1}`,
      title: `Digital Guide ${n + 1}`,
      lineItemCost: amount(cost, currency, exp),
      quantity,
      soldFormat: 'FIXED_PRICE',
      listingMarketplaceId: 'EBAY_US',
      purchaseMarketplaceId: 'EBAY_US',
      lineItemFulfillmentStatus: 'NOT_STARTED',
      total: amount(cost + tax, currency, exp),
      deliveryCost: { shippingCost: amount(0, currency, exp) },
      appliedPromotions: [],
      taxes: tax ? [{ amount: amount(tax, currency, exp), taxType: 'STATE_SALES_TAX' }] : [],
      refunds: [] as Array<{ amount: EbayAmount; refundDate: string; refundId: string }>,
      properties: { buyerProtection: true },
      lineItemFulfillmentInstructions: { guaranteedDelivery: false },
    };
  });
  const subtotal = lineItems.reduce((s, l) => s + toMinor(l.lineItemCost.value, exp), 0);
  const taxTotal = lineItems.reduce((s, l) => s + l.taxes.reduce((t, x) => t + toMinor(x.amount.value, exp), 0), 0);
  const email = seed.email === undefined ? `buyer${seed.index}@example.com` : seed.email;
  return {
    orderId,
    legacyOrderId: `${110000000000 + seed.index}-${2000000000000 + seed.index}`,
    creationDate: created.toISOString(),
    lastModifiedDate: modified.toISOString(),
    orderFulfillmentStatus: 'NOT_STARTED',
    orderPaymentStatus: 'PAID',
    sellerId: 'handoff_seller',
    buyer: {
      username: `buyer_${seed.index}`,
      taxAddress: { stateOrProvince: 'CA', postalCode: '95125', countryCode: 'US' },
      buyerRegistrationAddress: {
        fullName: `Buyer ${seed.index}`,
        contactAddress: { addressLine1: '1 Main St', city: 'San Jose', postalCode: '95125', countryCode: 'US' },
        primaryPhone: { phoneNumber: '4085550100' },
        ...(email ? { email } : {}),
      },
    },
    pricingSummary: {
      priceSubtotal: amount(subtotal, currency, exp),
      deliveryCost: amount(0, currency, exp),
      ...(taxTotal ? { tax: amount(taxTotal, currency, exp) } : {}),
      total: amount(subtotal + taxTotal, currency, exp),
    },
    cancelStatus: { cancelState: 'NONE_REQUESTED', cancelRequests: [] },
    paymentSummary: {
      totalDueSeller: amount(subtotal + taxTotal, currency, exp),
      refunds: [],
      payments: [
        {
          paymentMethod: 'EBAY',
          paymentReferenceId: `PAY-${seed.index}`,
          paymentDate: created.toISOString(),
          amount: amount(subtotal + taxTotal, currency, exp),
          paymentStatus: 'PAID',
        },
      ],
    },
    fulfillmentStartInstructions: [{ fulfillmentInstructionsType: 'DIGITAL', ebaySupportedFulfillment: false }],
    fulfillmentHrefs: [],
    lineItems,
    salesRecordReference: String(1000 + seed.index),
    totalFeeBasisAmount: amount(subtotal + taxTotal, currency, exp),
  } as EbayOrder;
}

/** `count` orders created a minute apart, indexes starting at `from`. */
export function makeEbayOrders(count: number, from = 1, seed: Omit<EbayOrderSeed, 'index'> = {}): EbayOrder[] {
  return Array.from({ length: count }, (_, i) => makeEbayOrder({ ...seed, index: from + i }));
}

function touched(order: EbayOrder, at: Date): EbayOrder {
  return { ...structuredClone(order), lastModifiedDate: at.toISOString() };
}

/** A full refund of the order, as eBay reports it. */
export function refundEbayOrder(order: EbayOrder, at: Date): EbayOrder {
  const next = touched(order, at);
  next.orderPaymentStatus = 'FULLY_REFUNDED';
  next.paymentSummary!.refunds = [
    {
      refundId: `R-${order.orderId}`,
      refundDate: at.toISOString(),
      refundStatus: 'REFUNDED',
      amount: next.pricingSummary!.total!,
    },
  ];
  return next;
}

/** Refunds `lineIndex` completely (by amount), leaving the other lines: PARTIALLY_REFUNDED. */
export function partiallyRefundEbayOrder(order: EbayOrder, lineIndex: number, at: Date): EbayOrder {
  const next = touched(order, at);
  const line = next.lineItems![lineIndex]!;
  const refund = {
    refundId: `R-${line.lineItemId}`,
    refundDate: at.toISOString(),
    amount: line.total ?? line.lineItemCost,
  };
  line.refunds = [refund];
  next.orderPaymentStatus = 'PARTIALLY_REFUNDED';
  next.paymentSummary!.refunds = [{ ...refund, refundStatus: 'REFUNDED' }];
  return next;
}

export function cancelEbayOrder(order: EbayOrder, at: Date): EbayOrder {
  const next = touched(order, at);
  next.cancelStatus = {
    cancelState: 'CANCELED',
    cancelRequests: [{ cancelRequestState: 'COMPLETED', cancelInitiator: 'SELLER' }],
  };
  next.orderPaymentStatus = 'FULLY_REFUNDED';
  return next;
}

export function fulfillEbayOrder(order: EbayOrder, at: Date): EbayOrder {
  const next = touched(order, at);
  next.orderFulfillmentStatus = 'FULFILLED';
  for (const line of next.lineItems ?? []) line.lineItemFulfillmentStatus = 'FULFILLED';
  return next;
}
