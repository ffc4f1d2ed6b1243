import { currencyExponent } from '../../common/money.js';
import { legacyId } from '../shopify-ids.js';
import type { ShopifyGqlLineItem, ShopifyGqlOrder, ShopifyRestOrder } from '../shopify-types.js';

/**
 * Orders shaped like the Admin GraphQL examples (gid ids, MoneyBag `shopMoney`, display statuses).
 * The fake serves these; the same objects turn into REST webhook payloads with toShopifyRestOrder.
 */
export interface ShopifyOrderSeed {
  lineCount?: number;
  quantity?: number;
  unitPrice?: string;
  tax?: string;
  currency?: string;
  financial?: string;
  createdAt?: Date;
}

const BASE_TIME = Date.parse('2025-01-06T09:00:00Z');

function formatMinor(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  return (minor / 10 ** exp).toFixed(exp);
}

function money(amount: string, currencyCode: string) {
  return { shopMoney: { amount, currencyCode } };
}

function parseMinor(amount: string, currency: string): number {
  return Math.round(Number(amount) * 10 ** currencyExponent(currency));
}

export function makeShopifyOrder(n: number, seed: ShopifyOrderSeed = {}): ShopifyGqlOrder {
  const currency = seed.currency ?? 'EUR';
  const unitPrice = seed.unitPrice ?? '19.99';
  const tax = seed.tax ?? '3.80';
  const quantity = seed.quantity ?? 1;
  const created = seed.createdAt ?? new Date(BASE_TIME + n * 60_000);
  const orderId = 5_100_000_000 + n;
  const lines: ShopifyGqlLineItem[] = Array.from({ length: seed.lineCount ?? 1 }, (_, i) => ({
    id: `gid://shopify/LineItem/${orderId * 100 + i}`,
    sku: `EBOOK-${(n + i) % 7}`,
    title: `E-book volume ${((n + i) % 7) + 1}`,
    quantity,
    originalUnitPriceSet: money(unitPrice, currency),
    taxLines: [{ priceSet: money(tax, currency) }],
  }));
  const totalMinor = lines.reduce(
    (sum) => sum + parseMinor(unitPrice, currency) * quantity + parseMinor(tax, currency),
    0,
  );
  const financial = seed.financial ?? 'PAID';
  const iso = created.toISOString();
  return {
    id: `gid://shopify/Order/${orderId}`,
    name: `#${1000 + n}`,
    email: `buyer${n}@example.com`,
    createdAt: iso,
    updatedAt: iso,
    processedAt: iso,
    closedAt: null,
    cancelledAt: null,
    displayFinancialStatus: financial,
    displayFulfillmentStatus: 'UNFULFILLED',
    currencyCode: currency,
    customerLocale: n % 2 === 0 ? 'en' : 'de',
    tags: n % 5 === 0 ? ['vip'] : [],
    totalPriceSet: money(formatMinor(totalMinor, currency), currency),
    totalTaxSet: money(formatMinor(parseMinor(tax, currency) * lines.length, currency), currency),
    customer: { firstName: 'Buyer', lastName: String(n), email: `buyer${n}@example.com` },
    billingAddress: { countryCodeV2: n % 2 === 0 ? 'US' : 'DE', name: `Buyer ${n}` },
    transactions:
      financial === 'PAID'
        ? [{ kind: 'SALE', status: 'SUCCESS', processedAt: new Date(created.getTime() + 5_000).toISOString() }]
        : [],
    refunds: [],
    lineItems: { nodes: lines, pageInfo: { hasNextPage: false, endCursor: null } },
  };
}

/** `count` orders numbered from `first`, created a minute apart. */
export function makeShopifyOrders(count: number, first = 1, seed: ShopifyOrderSeed = {}): ShopifyGqlOrder[] {
  return Array.from({ length: count }, (_, i) => makeShopifyOrder(first + i, seed));
}

/** Refunds `quantity` of line `lineIndex` and sets the financial status Shopify would show. */
export function refundShopifyLine(order: ShopifyGqlOrder, lineIndex: number, quantity: number): void {
  const line = order.lineItems.nodes[lineIndex];
  if (!line) throw new Error(`order ${order.name} has no line ${lineIndex}`);
  order.refunds.push({ refundLineItems: { nodes: [{ quantity, lineItem: { id: line.id } }] } });
  const refunded = new Map<string, number>();
  for (const r of order.refunds) {
    for (const i of r.refundLineItems.nodes)
      refunded.set(i.lineItem.id, (refunded.get(i.lineItem.id) ?? 0) + i.quantity);
  }
  const all = order.lineItems.nodes.every((l) => (refunded.get(l.id) ?? 0) >= l.quantity);
  order.displayFinancialStatus = all ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}

export function cancelShopifyOrder(order: ShopifyGqlOrder, at: Date): void {
  order.cancelledAt = at.toISOString();
  order.closedAt = at.toISOString();
  if (order.displayFinancialStatus === 'AUTHORIZED' || order.displayFinancialStatus === 'PENDING') {
    order.displayFinancialStatus = 'VOIDED';
  }
}

export function markShopifyPaid(order: ShopifyGqlOrder, at: Date): void {
  order.displayFinancialStatus = 'PAID';
  order.transactions.push({ kind: 'SALE', status: 'SUCCESS', processedAt: at.toISOString() });
}

export function fulfillShopifyOrder(order: ShopifyGqlOrder, at: Date, archive = false): void {
  order.displayFulfillmentStatus = 'FULFILLED';
  if (archive) order.closedAt = at.toISOString();
}

const FULFILLMENT_TO_REST: Record<string, string | null> = {
  FULFILLED: 'fulfilled',
  PARTIALLY_FULFILLED: 'partial',
  RESTOCKED: 'restocked',
};

/** The same order as REST webhooks deliver it (snake_case, numeric ids, decimal strings). */
export function toShopifyRestOrder(order: ShopifyGqlOrder): ShopifyRestOrder {
  return {
    id: Number(legacyId(order.id)),
    name: order.name,
    email: order.email,
    contact_email: order.email,
    created_at: order.createdAt,
    updated_at: order.updatedAt,
    processed_at: order.processedAt,
    closed_at: order.closedAt,
    cancelled_at: order.cancelledAt,
    financial_status: order.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillment_status: FULFILLMENT_TO_REST[order.displayFulfillmentStatus] ?? null,
    currency: order.currencyCode,
    customer_locale: order.customerLocale,
    tags: order.tags.join(', '),
    total_price: order.totalPriceSet.shopMoney.amount,
    total_tax: order.totalTaxSet?.shopMoney.amount ?? null,
    customer: order.customer
      ? { first_name: order.customer.firstName, last_name: order.customer.lastName, email: order.customer.email }
      : null,
    billing_address: order.billingAddress
      ? { country_code: order.billingAddress.countryCodeV2, name: order.billingAddress.name }
      : null,
    line_items: order.lineItems.nodes.map((l) => ({
      id: Number(legacyId(l.id)),
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      price: l.originalUnitPriceSet.shopMoney.amount,
      tax_lines: l.taxLines.map((t) => ({ price: t.priceSet.shopMoney.amount })),
    })),
    refunds: order.refunds.map((r, i) => ({
      id: 900_000 + i,
      order_id: Number(legacyId(order.id)),
      refund_line_items: r.refundLineItems.nodes.map((x) => ({
        line_item_id: Number(legacyId(x.lineItem.id)),
        quantity: x.quantity,
      })),
    })),
  };
}
