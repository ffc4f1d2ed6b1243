import { currencyExponent } from '../../common/money.js';
import type { WooLineItem, WooOrder, WooRefund } from '../woocommerce-types.js';

/** Orders shaped like the REST v3 docs example (decimal strings, `_gmt` timestamps without zone). */
export interface WooOrderSeed {
  status?: string;
  currency?: string;
  /** Unit price, tax excluded, decimal string in the currency's digits. */
  unitPrice?: string;
  /** Tax per line. */
  tax?: string;
  quantity?: number;
  lineCount?: number;
  datePaid?: string | null;
  createdAt?: Date;
}

const BASE_TIME = Date.parse('2025-01-06T09:00:00Z');

export function wooTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function fmt(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  return (minor / 10 ** exp).toFixed(exp);
}

function minor(amount: string, currency: string): number {
  return Math.round(Number(amount) * 10 ** currencyExponent(currency));
}

export function makeWooOrder(n: number, seed: WooOrderSeed = {}): WooOrder {
  const currency = seed.currency ?? 'USD';
  const unit = seed.unitPrice ?? '9.99';
  const tax = seed.tax ?? '0.80';
  const quantity = seed.quantity ?? 1;
  const created = seed.createdAt ?? new Date(BASE_TIME + n * 60_000);
  const status = seed.status ?? 'processing';
  const lines: WooLineItem[] = Array.from({ length: seed.lineCount ?? 1 }, (_, i) => {
    const subtotal = fmt(minor(unit, currency) * quantity, currency);
    return {
      id: n * 10 + i,
      name: `Course pack ${((n + i) % 4) + 1}`,
      product_id: 90 + ((n + i) % 4),
      variation_id: 0,
      quantity,
      tax_class: '',
      subtotal,
      subtotal_tax: tax,
      total: subtotal,
      total_tax: tax,
      taxes: [{ id: 75, total: tax, subtotal: tax }],
      meta_data: [],
      sku: `COURSE-${((n + i) % 4) + 1}`,
      price: Number(unit),
    } as WooLineItem;
  });
  const totalMinor = lines.reduce((sum, l) => sum + minor(l.total, currency) + minor(l.total_tax, currency), 0);
  const taxMinor = lines.reduce((sum, l) => sum + minor(l.total_tax, currency), 0);
  const stamp = wooTimestamp(created);
  const paid =
    seed.datePaid !== undefined ? seed.datePaid : ['processing', 'completed'].includes(status) ? stamp : null;
  return {
    id: 700 + n,
    parent_id: 0,
    number: String(700 + n),
    order_key: `wc_order_${(700 + n).toString(36)}fake`,
    created_via: 'checkout',
    version: '9.5.1',
    status,
    currency,
    date_created: stamp,
    date_created_gmt: stamp,
    date_modified: stamp,
    date_modified_gmt: stamp,
    discount_total: fmt(0, currency),
    discount_tax: fmt(0, currency),
    shipping_total: fmt(0, currency),
    shipping_tax: fmt(0, currency),
    cart_tax: fmt(taxMinor, currency),
    total: fmt(totalMinor, currency),
    total_tax: fmt(taxMinor, currency),
    prices_include_tax: false,
    customer_id: 0,
    billing: {
      first_name: 'John',
      last_name: `Doe ${n}`,
      company: '',
      address_1: '969 Market',
      city: 'San Francisco',
      state: 'CA',
      postcode: '94103',
      country: n % 3 === 0 ? 'CA' : 'US',
      email: `john.doe${n}@example.com`,
      phone: '(555) 555-5555',
    },
    payment_method: 'bacs',
    payment_method_title: 'Direct Bank Transfer',
    transaction_id: '',
    date_paid: paid,
    date_paid_gmt: paid,
    date_completed: status === 'completed' ? stamp : null,
    date_completed_gmt: status === 'completed' ? stamp : null,
    meta_data: n % 2 === 0 ? [{ id: 1, key: 'wpml_language', value: 'fr' }] : [],
    line_items: lines,
    tax_lines: [],
    shipping_lines: [],
    fee_lines: [],
    coupon_lines: [],
    refunds: [],
  };
}

export function makeWooOrders(count: number, first = 1, seed: WooOrderSeed = {}): WooOrder[] {
  return Array.from({ length: count }, (_, i) => makeWooOrder(first + i, seed));
}

/**
 * Refunds `quantity` of a line the way WooCommerce records it: a refund object (negative quantity,
 * `_refunded_item_id` meta) for the refunds endpoint, and a negative total in the order's `refunds[]`.
 * A refund covering the whole order turns its status to `refunded`, as WooCommerce does.
 */
export function refundWooLine(order: WooOrder, refunds: WooRefund[], lineIndex: number, quantity: number): WooRefund {
  const line = order.line_items[lineIndex];
  if (!line) throw new Error(`order ${order.id} has no line ${lineIndex}`);
  const unit = minor(line.total, order.currency) / line.quantity;
  const unitTax = minor(line.total_tax, order.currency) / line.quantity;
  const amount = Math.round((unit + unitTax) * quantity);
  const refund: WooRefund = {
    id: 5000 + order.id * 10 + refunds.length,
    amount: fmt(amount, order.currency),
    reason: 'Customer request',
    line_items: [
      {
        id: 9000 + refunds.length,
        quantity: -quantity,
        total: fmt(-Math.round(unit * quantity), order.currency),
        meta_data: [{ key: '_refunded_item_id', value: String(line.id) }],
      },
    ],
  };
  refunds.push(refund);
  order.refunds.push({ id: refund.id, reason: refund.reason, total: `-${refund.amount}` });
  const refunded = order.refunds.reduce((sum, r) => sum - minor(r.total, order.currency), 0);
  if (refunded >= minor(order.total, order.currency)) order.status = 'refunded';
  return refund;
}
