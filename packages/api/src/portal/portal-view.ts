import type { DownloadGrant } from '../downloads/download-grant.entity.js';
import type { Merchant } from '../merchants/merchant.entity.js';
import type { OrderItem } from '../orders/order-item.entity.js';
import type { Order } from '../orders/order.entity.js';
import type { PortalConsent } from './portal-consent.entity.js';
import { PortalFileState, type PortalFile, type PortalView } from './portal.types.js';

/** A grant's state at `now`, in the order the download route refuses: revoked, expired, used up. */
export function fileState(grant: DownloadGrant, now: Date): PortalFileState {
  if (grant.revokedAt) return PortalFileState.REVOKED;
  if (grant.expiresAt && grant.expiresAt.getTime() <= now.getTime()) return PortalFileState.EXPIRED;
  if (grant.limit !== null && grant.used >= grant.limit) return PortalFileState.USED_UP;
  return PortalFileState.AVAILABLE;
}

/** What the buyer sees; only what the page shows, nothing of the merchant's internals. */
export function portalView(input: {
  order: Order;
  merchant: Merchant;
  items: OrderItem[];
  grants: DownloadGrant[];
  waiver: PortalConsent | null;
  now: Date;
}): PortalView {
  const { order, merchant, items, grants, waiver, now } = input;
  const line = new Map(items.map((item, i) => [item.id, i]));
  const files: PortalFile[] = [...grants]
    .sort(
      (a, b) =>
        (line.get(a.orderItem.id) ?? 0) - (line.get(b.orderItem.id) ?? 0) ||
        a.productFile.position - b.productFile.position ||
        a.id.localeCompare(b.id),
    )
    .map((g) => ({
      grantId: g.id,
      name: g.productFile.displayName,
      size: g.productFile.size,
      contentType: g.productFile.contentType,
      remaining: g.limit === null ? null : Math.max(0, g.limit - g.used),
      expiresAt: g.expiresAt,
      state: fileState(g, now),
    }));
  const portal = merchant.settings.portal;
  return {
    order: {
      number: order.number,
      placedAt: order.placedAt,
      currency: order.currency,
      total: order.total,
      items: items.map((i) => ({ title: i.title, quantity: i.quantity, unitPrice: i.unitPrice })),
    },
    merchant: {
      name: merchant.name,
      logoUrl: portal.logoUrl,
      accentColor: portal.accentColor,
      introText: portal.introText,
      contactEmail: merchant.contactEmail,
    },
    files,
    licenseKeys: [],
    invoiceUrl: null,
    language: order.buyerLanguage,
    waiverRequired: portal.requireWithdrawalWaiver && !waiver,
    waiverAcceptedAt: waiver?.acceptedAt ?? null,
  };
}
