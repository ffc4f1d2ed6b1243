import type { NormalizedOrder } from '@handoff/shared';
import { etsyMoneyToMinor } from './etsy-money.js';
import { mapEtsyStatus } from './etsy-status.js';
import type { EtsyReceipt } from './etsy-types.js';

const fromUnix = (seconds: number) => new Date(seconds * 1000);

export function mapEtsyReceipt(receipt: EtsyReceipt): NormalizedOrder {
  const status = mapEtsyStatus(receipt);
  const paidTimes = receipt.transactions
    .map((t) => t.paid_timestamp)
    .filter((t): t is number => typeof t === 'number' && t > 0);
  return {
    externalId: String(receipt.receipt_id),
    number: String(receipt.receipt_id),
    status,
    channelStatus: receipt.status,
    buyer: {
      email: receipt.buyer_email || null,
      name: receipt.name || null,
      language: null,
      country: receipt.country_iso || null,
    },
    currency: receipt.grandtotal.currency_code,
    total: etsyMoneyToMinor(receipt.grandtotal),
    taxTotal: etsyMoneyToMinor(receipt.total_tax_cost) + etsyMoneyToMinor(receipt.total_vat_cost),
    items: receipt.transactions.map((t) => ({
      externalId: String(t.transaction_id),
      sku: t.sku || null,
      title: t.title ?? '',
      quantity: t.quantity,
      unitPrice: etsyMoneyToMinor(t.price),
      // Etsy reports tax per receipt only.
      tax: 0,
      // Refunds are receipt-level amounts; only a full refund can be attributed to lines.
      refundedQuantity: status === 'refunded' ? t.quantity : 0,
      cancelled: status === 'cancelled',
    })),
    createdAt: fromUnix(receipt.created_timestamp ?? receipt.create_timestamp),
    updatedAt: fromUnix(receipt.updated_timestamp ?? receipt.update_timestamp),
    paidAt: receipt.is_paid && paidTimes.length > 0 ? fromUnix(Math.min(...paidTimes)) : null,
    tags: [],
    raw: receipt,
  };
}
