import type { EntityManager } from '@mikro-orm/postgresql';
import { emailButtonColours } from '@handoff/shared';
import { DownloadGrant } from '../../downloads/download-grant.entity.js';
import type { Merchant } from '../../merchants/merchant.entity.js';
import type { OrderFacts, OrderLineFacts } from '../../orders/order-facts.js';

/** Intl formatters are costly to build and a batch of emails uses a handful: kept per locale and option. */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
const FORMATTER_CACHE_SIZE = 200;

function cachedFormatter<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, build: () => F): F {
  let formatter = formatters.get(key) as F | undefined;
  if (!formatter) {
    formatter = build();
    if (formatters.size >= FORMATTER_CACHE_SIZE) formatters.delete(formatters.keys().next().value!);
    formatters.set(key, formatter);
  }
  return formatter;
}

export function formatMoney(minor: number, currency: string, language: string): string {
  try {
    return cachedFormatter(
      `money:${language}:${currency}`,
      () => new Intl.NumberFormat(language, { style: 'currency', currency }),
    ).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

export function formatDate(date: Date, language: string): string {
  try {
    return cachedFormatter(
      `date:${language}`,
      () => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }),
    ).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

/** A download as the template lists it (a stored grant, or one the same rule run is creating). */
export interface DownloadView {
  fileName: string;
  itemTitle: string;
  limit: number | null;
  used: number;
  expiresAt: Date | null;
}

/** The order's live (not revoked) grants as template rows, oldest first. */
export async function loadDownloadViews(
  em: EntityManager,
  merchantId: string,
  orderId: string,
): Promise<DownloadView[]> {
  const grants = await em.find(
    DownloadGrant,
    { order: orderId, merchant: merchantId, revokedAt: null },
    { populate: ['productFile', 'orderItem'], orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  return grants.map(downloadView);
}

export function downloadView(g: DownloadGrant): DownloadView {
  return {
    fileName: g.productFile.displayName,
    itemTitle: g.orderItem.title,
    limit: g.limit,
    used: g.used,
    expiresAt: g.expiresAt ?? null,
  };
}

/** What a template sees for one order (see placeholders.ts); money and dates in the buyer's language. */
export function templateData(input: {
  order: OrderFacts;
  items: OrderLineFacts[];
  merchant: Merchant;
  downloads: DownloadView[];
  portalUrl: string | null;
  language: string;
}): Record<string, unknown> {
  const { order, items, merchant, language } = input;
  const button = emailButtonColours(merchant.settings.portal.accentColor);
  const money = (minor: number) => formatMoney(minor, order.currency, language);
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
    downloads: input.downloads.map((d) => ({
      file_name: d.fileName,
      item: d.itemTitle,
      remaining: d.limit === null ? null : Math.max(0, d.limit - d.used),
      limit: d.limit,
      expires: d.expiresAt ? formatDate(d.expiresAt, language) : null,
    })),
    license_keys: [],
    invoice: { url: null },
    merchant: {
      name: merchant.name,
      contact_email: merchant.contactEmail ?? '',
      // The portal's button colours (its brand colour, readable on white), so the email's button matches.
      accent_color: button.background,
      accent_text_color: button.text,
    },
  };
}
