import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { HandoffError } from '@handoff/shared';
import type { DeliveryService } from '../downloads/delivery.service.js';
import { DownloadGrant } from '../downloads/download-grant.entity.js';
import type { GrantService } from '../downloads/grant.service.js';
import { storedIp } from '../downloads/ip.js';
import type { SuspensionService } from '../downloads/suspension.service.js';
import { isUuid } from '../db/uuid.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { OrderItem } from '../orders/order-item.entity.js';
import type { Order } from '../orders/order.entity.js';
import type { PortalAccess, PortalContext } from './portal-access.js';
import { PortalConsent } from './portal-consent.entity.js';
import { fileState, portalView } from './portal-view.js';
import {
  portalError,
  PortalErrorCode,
  PortalFileState,
  type PortalActionPayload,
  type PortalDownloadLinkPayload,
  type PortalResult,
} from './portal.types.js';

/** The buyer's side of an order: the page, download links and the withdrawal waiver. */
export class PortalService {
  constructor(
    private readonly access: PortalAccess,
    private readonly grants: GrantService,
    private readonly downloads: DeliveryService,
    private readonly suspensions: SuspensionService,
  ) {}

  async view(ctx: PortalContext, code: string): Promise<PortalResult> {
    const opened = await this.access.open(ctx, code);
    if (!opened.ok) return { view: null, error: opened.error };
    const { order } = opened;
    const merchantId = order.merchant.id;
    const [merchant, items, grants, waiver] = await Promise.all([
      ctx.em.findOneOrFail(Merchant, { id: merchantId }),
      ctx.em.find(OrderItem, { order: order.id, merchant: merchantId }, { orderBy: { externalId: 'asc', id: 'asc' } }),
      this.grants.forOrder(ctx.em, merchantId, order.id),
      this.waiver(ctx.em, order),
    ]);
    await ctx.em.populate(grants, ['productFile']);
    return { view: portalView({ order, merchant, items, grants, waiver, now: ctx.clock.now() }), error: null };
  }

  /** A fresh short-lived /d/ link for one of the order's files. */
  async downloadLink(ctx: PortalContext, code: string, grantId: string): Promise<PortalDownloadLinkPayload> {
    const opened = await this.access.open(ctx, code);
    if (!opened.ok) return { error: opened.error };
    const { order } = opened;
    const merchant = await ctx.em.findOneOrFail(Merchant, { id: order.merchant.id });
    if (merchant.settings.portal.requireWithdrawalWaiver && !(await this.waiver(ctx.em, order)))
      return { error: portalError(PortalErrorCode.WAIVER_REQUIRED) };
    const now = ctx.clock.now();
    const grant = isUuid(grantId)
      ? await ctx.em.findOne(DownloadGrant, { id: grantId, order: order.id, merchant: merchant.id }, { refresh: true })
      : null;
    if (!grant || fileState(grant, now) !== PortalFileState.AVAILABLE)
      return { error: portalError(PortalErrorCode.NOT_AVAILABLE) };
    // The download route would refuse this IP at this order: say so now, with the time it ends.
    const ip = storedIp(ctx.client?.ip ?? undefined, merchant.settings.downloads.truncateIps) ?? 'unknown';
    const active = await this.suspensions.active(ctx.em, ip, `order:${order.id}`, now);
    if (active?.suspendedUntil)
      return { error: portalError(PortalErrorCode.SUSPENDED, { suspendedUntil: active.suspendedUntil }) };
    try {
      const link = await this.downloads.mintLink(ctx.em, grant.id, { orderId: order.id });
      return { url: link.url, expiresAt: link.expiresAt, error: null };
    } catch (error) {
      if (error instanceof HandoffError && error.code === 'NOT_FOUND')
        return { error: portalError(PortalErrorCode.NOT_AVAILABLE) };
      throw error;
    }
  }

  /** Stores the waiver with time, IP and user agent; the first acceptance stands. */
  async acceptWaiver(ctx: PortalContext, code: string): Promise<PortalActionPayload> {
    const opened = await this.access.open(ctx, code);
    if (!opened.ok) return { ok: false, error: opened.error };
    const { order } = opened;
    const merchant = await ctx.em.findOneOrFail(Merchant, { id: order.merchant.id });
    const now = ctx.clock.now();
    const ip = storedIp(ctx.client?.ip ?? undefined, merchant.settings.downloads.truncateIps);
    const userAgent = ctx.client?.userAgent ?? null;
    await ctx.em.transactional(async (tx) => {
      const inserted = await tx
        .createQueryBuilder(PortalConsent)
        .insert({
          id: randomUUID(),
          merchant: merchant.id,
          order: order.id,
          kind: 'withdrawal_waiver',
          acceptedAt: now,
          ip,
          userAgent,
          createdAt: now,
        })
        .onConflict(['order_id', 'kind'])
        .ignore()
        .execute('run');
      if (!inserted.affectedRows) return;
      tx.create(OrderEvent, {
        merchant: merchant.id,
        order: order.id,
        type: 'waiver_accepted',
        source: 'buyer',
        actor: 'buyer',
        data: { kind: 'withdrawal_waiver', ip, userAgent },
        createdAt: now,
      });
      await tx.flush();
    });
    return { ok: true, error: null };
  }

  private waiver(em: EntityManager, order: Order): Promise<PortalConsent | null> {
    return em.findOne(PortalConsent, { order: order.id, kind: 'withdrawal_waiver' }, { refresh: true });
  }
}
