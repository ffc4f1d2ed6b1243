import { createHash } from 'node:crypto';
import { z } from 'zod';
import { emailButtonColours } from '@handoff/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { Order } from '../orders/order.entity.js';
import { formatDate } from '../rules/templates/template-data.js';
import { buyerIp, type PortalAccess, type PortalContext } from './portal-access.js';
import type { PortalCodeService } from './portal-code.service.js';
import type { PortalMailer } from './portal-mail.js';
import { buyerMessageEmail, mailLanguage, newLinkEmail, type NewLinkOrder } from './portal-texts.js';
import { portalError, PortalErrorCode, type PortalActionPayload } from './portal.types.js';
import type { RateLimit, RateLimiter } from './rate-limiter.js';
import { PortalRateLimit } from './portal-rate-limit.entity.js';

/** Limits of the portal's unauthenticated requests. */
export interface PortalLimits {
  /** New-link requests per (IP, email). */
  linkPerIpAndEmail: RateLimit;
  /** New-link requests per IP, whatever the address. */
  linkPerIp: RateLimit;
  /** Messages to the seller per order. */
  messagesPerOrder: RateLimit;
}

export const DEFAULT_PORTAL_LIMITS: PortalLimits = {
  linkPerIpAndEmail: { max: 3, windowSeconds: 3600 },
  linkPerIp: { max: 30, windowSeconds: 3600 },
  messagesPerOrder: { max: 10, windowSeconds: 3600 },
};

/** At most this many orders get a link per request (the most recent), across all merchants. */
const MAX_ORDERS_PER_REQUEST = 50;
/** One new-link email per merchant and address per this many seconds, however many IPs ask. */
const LINK_EMAIL_BUCKET_SECONDS = 600;
/** Counter rows idle this long are deleted. */
const RATE_ROW_TTL_MS = 2 * 24 * 3600_000;

const emailSchema = z.string().trim().toLowerCase().email().max(320);
const contactSchema = z.object({
  message: z.string().trim().min(1).max(5000),
  replyTo: emailSchema.nullish(),
});

/** The buyer's messages: "contact the seller" and "send me a new link". */
export class PortalMessageService {
  constructor(
    private readonly clock: Clock,
    private readonly access: PortalAccess,
    private readonly codes: PortalCodeService,
    private readonly mailer: PortalMailer,
    private readonly limiter: RateLimiter,
    private readonly limits: PortalLimits = DEFAULT_PORTAL_LIMITS,
  ) {}

  /** Stores the message on the order's history and emails the merchant's contact address, if any. */
  async contactSeller(
    ctx: PortalContext,
    code: string,
    input: { message: string; replyTo?: string | null },
  ): Promise<PortalActionPayload> {
    const opened = await this.access.open(ctx, code);
    if (!opened.ok) return { ok: false, error: opened.error };
    const { order } = opened;
    const parsed = contactSchema.safeParse(input);
    if (!parsed.success) {
      const field = parsed.error.issues[0]!.path.join('.');
      return { ok: false, error: portalError(PortalErrorCode.BAD_USER_INPUT, { message: `${field}: invalid` }) };
    }
    const now = this.clock.now();
    if (!(await this.limiter.hit(ctx.em, ['contact', order.id], this.limits.messagesPerOrder, now)))
      return { ok: false, error: portalError(PortalErrorCode.RATE_LIMITED) };
    const merchant = await ctx.em.findOneOrFail(Merchant, { id: order.merchant.id });
    const replyTo = parsed.data.replyTo ?? order.buyerEmail;
    const message = parsed.data.message;
    await ctx.em.transactional(async (tx) => {
      const event = tx.create(OrderEvent, {
        merchant: merchant.id,
        order: order.id,
        type: 'buyer_message',
        source: 'buyer',
        actor: replyTo ?? 'buyer',
        data: { message, replyTo, ip: buyerIp(ctx) },
        createdAt: now,
      });
      await tx.flush();
      if (!merchant.contactEmail) return;
      await this.mailer.enqueue(tx, {
        merchantId: merchant.id,
        orderId: order.id,
        recipient: merchant.contactEmail,
        language: 'en',
        ...buyerMessageEmail({ number: order.number, replyTo, message }),
        dedupKey: `portal-message:${event.id}`,
        replyTo,
      });
    });
    return { ok: true, error: null };
  }

  /**
   * Sends this buyer address (case-insensitive) one email per merchant listing the current portal
   * links of its orders with something to download, in that merchant's branding and the buyer's
   * language. The answer is the same whether or not an order matched.
   */
  async requestNewLink(ctx: PortalContext, email: string): Promise<PortalActionPayload> {
    const parsed = emailSchema.safeParse(email);
    if (!parsed.success)
      return { ok: false, error: portalError(PortalErrorCode.BAD_USER_INPUT, { message: 'email: invalid' }) };
    const address = parsed.data;
    const ip = buyerIp(ctx);
    const now = this.clock.now();
    const em = ctx.em;
    await em.nativeDelete(PortalRateLimit, { lastHitAt: { $lt: new Date(now.getTime() - RATE_ROW_TTL_MS) } });
    const allowed =
      (await this.limiter.hit(em, ['link', ip, address], this.limits.linkPerIpAndEmail, now)) &&
      (await this.limiter.hit(em, ['link-ip', ip], this.limits.linkPerIp, now));
    if (!allowed) return { ok: false, error: portalError(PortalErrorCode.RATE_LIMITED) };

    const orders = await this.ordersWithDownloads(em, address, ctx.actor.merchantId || null, now);
    const bucket = Math.floor(now.getTime() / 1000 / LINK_EMAIL_BUCKET_SECONDS);
    const byMerchant = new Map<string, Order[]>();
    for (const order of orders)
      byMerchant.set(order.merchant.id, [...(byMerchant.get(order.merchant.id) ?? []), order]);
    for (const [merchantId, ofMerchant] of byMerchant) {
      await em.transactional(async (tx) => {
        const merchant = await tx.findOneOrFail(Merchant, { id: merchantId });
        const lang = mailLanguage(ofMerchant[0]!.buyerLanguage);
        const links: NewLinkOrder[] = [];
        for (const order of ofMerchant) {
          const link = await this.codes.ensurePortalCode(tx, { id: order.id, merchantId });
          links.push({ number: order.number, date: formatDate(order.placedAt, lang), url: link.url });
          tx.create(OrderEvent, {
            merchant: merchantId,
            order: order.id,
            type: 'portal_link_requested',
            source: 'buyer',
            actor: address,
            data: { ip },
            createdAt: now,
          });
        }
        await tx.flush();
        await this.mailer.enqueue(tx, {
          merchantId,
          orderId: ofMerchant[0]!.id,
          recipient: ofMerchant[0]!.buyerEmail ?? address,
          language: lang,
          ...newLinkEmail(lang, {
            merchant: merchant.name,
            logoUrl: merchant.settings.portal.logoUrl,
            button: emailButtonColours(merchant.settings.portal.accentColor),
            orders: links,
          }),
          dedupKey: `portal-links:${merchantId}:${sha256Hex(address).slice(0, 32)}:${bucket}`,
        });
      });
    }
    return { ok: true, error: null };
  }

  /**
   * The buyer's orders a link helps with, newest first: not cancelled or refunded, and holding a
   * download the buyer can still use.
   */
  private async ordersWithDownloads(
    em: EntityManager,
    address: string,
    merchantId: string | null,
    now: Date,
  ): Promise<Order[]> {
    const rows = await em.getConnection().execute<{ id: string }[]>(
      `select o.id from "order" o
        where lower(o.buyer_email) = ? ${merchantId ? 'and o.merchant_id = ?' : ''}
          and o.status not in ('cancelled', 'refunded')
          and exists (select 1 from download_grant g where g.order_id = o.id and g.revoked_at is null
            and (g.expires_at is null or g.expires_at > ?)
            and (g.download_limit is null or g.used < g.download_limit))
        order by o.placed_at desc, o.id desc limit ${MAX_ORDERS_PER_REQUEST}`,
      merchantId ? [address, merchantId, now] : [address, now],
    );
    if (!rows.length) return [];
    const orders = await em.find(Order, { id: { $in: rows.map((r) => r.id) } });
    return orders.sort((a, b) => b.placedAt.getTime() - a.placedAt.getTime() || b.id.localeCompare(a.id));
  }
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
