import type { NormalizedOrder } from '@handoff/shared';
import { toMinorUnits } from '../common/money.js';
import { mapWooStatus } from './woocommerce-status.js';
import type { WooMeta, WooOrder, WooRefund } from './woocommerce-types.js';

/** WooCommerce `_gmt` fields carry no zone suffix. */
export function wooGmtDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Multilingual plugins (WPML, Polylang) store the order language in meta. */
const LANGUAGE_KEYS = ['wpml_language', '_wpml_language', 'pll_language', '_order_language'];

function metaString(meta: WooMeta[] | undefined, keys: string[]): string | null {
  const found = meta?.find((m) => keys.includes(m.key) && typeof m.value === 'string' && m.value !== '');
  return found ? (found.value as string) : null;
}

/** Refunded quantity per original line id, from the refunds endpoint (`_refunded_item_id` meta). */
export function refundedQuantities(refunds: WooRefund[]): Map<number, number> {
  const map = new Map<number, number>();
  for (const refund of refunds) {
    for (const item of refund.line_items) {
      const original = Number(item.meta_data.find((m) => m.key === '_refunded_item_id')?.value);
      if (!Number.isFinite(original) || original === 0) continue;
      map.set(original, (map.get(original) ?? 0) + Math.abs(item.quantity));
    }
  }
  return map;
}

/**
 * `refunds` = line-level refund detail when the caller fetched it; without it (webhooks) lines show
 * no refunded quantity but the order status still reflects the refunded amount.
 */
export function mapWooOrder(order: WooOrder, refunds: WooRefund[] = []): NormalizedOrder {
  const currency = order.currency;
  const total = toMinorUnits(order.total, currency);
  const refundedMinor = order.refunds.reduce((sum, r) => sum + Math.abs(toMinorUnits(r.total, currency)), 0);
  const status = mapWooStatus(order.status, refundedMinor, total);
  const refundedByLine = refundedQuantities(refunds);
  const name = [order.billing.first_name, order.billing.last_name].filter((p) => p && p.trim() !== '').join(' ');
  const paid = status !== 'pending' && status !== 'cancelled';
  return {
    externalId: String(order.id),
    number: order.number,
    status,
    channelStatus: order.status,
    buyer: {
      email: order.billing.email || null,
      name: name === '' ? null : name,
      language: metaString(order.meta_data, LANGUAGE_KEYS),
      country: order.billing.country || null,
    },
    currency,
    total,
    taxTotal: toMinorUnits(order.total_tax, currency),
    items: order.line_items.map((line) => ({
      externalId: String(line.id),
      sku: line.sku || null,
      title: line.name,
      quantity: line.quantity,
      // subtotal is exact; `price` is a float WooCommerce rounds
      unitPrice: line.quantity > 0 ? Math.round(toMinorUnits(line.subtotal, currency) / line.quantity) : 0,
      tax: toMinorUnits(line.total_tax, currency),
      refundedQuantity: Math.min(
        line.quantity,
        refundedByLine.get(line.id) ?? (status === 'refunded' ? line.quantity : 0),
      ),
      cancelled: status === 'cancelled',
    })),
    createdAt: wooGmtDate(order.date_created_gmt) ?? new Date(0),
    updatedAt: wooGmtDate(order.date_modified_gmt) ?? wooGmtDate(order.date_created_gmt) ?? new Date(0),
    paidAt: wooGmtDate(order.date_paid_gmt) ?? (paid ? wooGmtDate(order.date_completed_gmt) : null),
    tags: [],
    raw: order,
  };
}
