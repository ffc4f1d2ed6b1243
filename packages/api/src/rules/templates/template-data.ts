import type { EntityManager } from '@mikro-orm/postgresql';
import { DownloadGrant } from '../../downloads/download-grant.entity.js';
import type { Merchant } from '../../merchants/merchant.entity.js';
import type { OrderItem } from '../../orders/order-item.entity.js';
import type { Order } from '../../orders/order.entity.js';

export function formatMoney(minor: number, currency: string, language: string): string {
  try {
    return new Intl.NumberFormat(language, { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

export function formatDate(date: Date, language: string): string {
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

/** What a template sees for one order (see placeholders.ts); money and dates in the buyer's language. */
export async function templateData(
  em: EntityManager,
  input: { order: Order; items: OrderItem[]; merchant: Merchant; portalUrl: string | null; language: string },
): Promise<Record<string, unknown>> {
  const { order, items, merchant, language } = input;
  const money = (minor: number) => formatMoney(minor, order.currency, language);
  const grants = await em.find(
    DownloadGrant,
    { order: order.id, merchant: merchant.id, revokedAt: null },
    { populate: ['productFile', 'orderItem'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  return {
    order: {
      number: order.number,
      date: formatDate(order.placedAt, language),
      status: order.status,
      currency: order.currency,
    },
    buyer: {
      name: order.buyerName ?? '',
      email: order.buyerEmail ?? '',
      language: order.buyerLanguage ?? '',
      country: order.buyerCountry ?? '',
    },
    items: items
      .filter((i) => !i.cancelled)
      .map((i) => ({
        title: i.title,
        sku: i.sku ?? '',
        quantity: i.quantity,
        price: money(i.unitPrice),
        total: money(i.unitPrice * i.quantity),
      })),
    totals: { total: money(order.total), tax: money(order.taxTotal), currency: order.currency },
    portal: { url: input.portalUrl ?? '' },
    downloads: grants.map((g) => ({
      file_name: g.productFile.displayName,
      item: g.orderItem.title,
      remaining: g.limit === null ? null : Math.max(0, g.limit - g.used),
      limit: g.limit,
      expires: g.expiresAt ? formatDate(g.expiresAt, language) : null,
    })),
    license_keys: [],
    invoice: { url: null },
    merchant: { name: merchant.name, contact_email: merchant.contactEmail ?? '' },
  };
}
