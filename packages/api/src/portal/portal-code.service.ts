import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertRows } from '../db/sql.js';
import { hashSecret, notFound, randomToken, safeEqual } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { Order } from '../orders/order.entity.js';
import type { Keyring } from '../security/keyring.js';
import { PortalCode } from './portal-code.entity.js';

/** 24 random bytes (192 bits) in base64url: always exactly 32 characters of this alphabet. */
const CODE_BYTES = 24;
const CODE_SHAPE = /^[A-Za-z0-9_-]{32}$/;

export interface PortalCodeRow {
  id: string;
  merchant: string;
  order: string;
  codeHash: string;
  codeSealed: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface PortalLink {
  orderId: string;
  code: string;
  url: string;
  createdAt: Date;
  rotations: number;
}

/**
 * The per-order portal code. Created the first time a message or the merchant needs it; looked up
 * only by its SHA-256; sealed with the keyring so the merchant can copy the current link again;
 * rotation replaces hash and seal in one UPDATE, so the old link dies at once.
 */
export class PortalCodeService {
  constructor(
    private readonly keyring: Keyring,
    private readonly clock: Clock,
    private readonly portalUrl: string,
  ) {}

  urlFor(code: string): string {
    return `${this.portalUrl.replace(/\/+$/, '')}/p/${code}`;
  }

  /** The order's current code, creating it when it has none (race-safe: one code per order). */
  async ensurePortalCode(em: EntityManager, order: { id: string; merchantId: string }): Promise<PortalLink> {
    const held = await em.findOne(PortalCode, { order: order.id }, { refresh: true });
    if (held) return this.link(held);
    await this.insertCodes(em, [this.newCode(order).row]);
    const row = await em.findOneOrFail(PortalCode, { order: order.id }, { refresh: true });
    return this.link(row);
  }

  /** A fresh code for an order that has none: the row to insert and the link it gives. */
  newCode(order: { id: string; merchantId: string }): { row: PortalCodeRow; link: PortalLink } {
    const code = randomToken(CODE_BYTES);
    const now = this.clock.now();
    const row = {
      id: randomUUID(),
      merchant: order.merchantId,
      order: order.id,
      codeHash: hashSecret(code),
      codeSealed: this.keyring.encrypt(code),
      createdAt: now,
      updatedAt: now,
    };
    return { row, link: { orderId: order.id, code, url: this.urlFor(code), createdAt: now, rotations: 0 } };
  }

  /** Inserts new codes; returns the orders whose code was inserted (an order that got one meanwhile keeps it). */
  async insertCodes(em: EntityManager, rows: PortalCodeRow[]): Promise<Set<string>> {
    const inserted = await insertRows<{ order_id: string }>(
      em,
      'portal_code',
      {
        id: 'uuid',
        merchant_id: 'uuid',
        order_id: 'uuid',
        code_hash: 'varchar',
        code_sealed: 'text',
        rotations: 'int',
        created_at: 'timestamptz',
        updated_at: 'timestamptz',
      },
      rows.map((r) => ({
        id: r.id,
        merchant_id: r.merchant,
        order_id: r.order,
        code_hash: r.codeHash,
        code_sealed: r.codeSealed,
        rotations: 0,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
      })),
      'on conflict (order_id) do nothing returning order_id',
    );
    return new Set(inserted.map((r) => r.order_id));
  }

  /** Current links of many orders (one statement); orders without a code are absent. */
  async currentLinks(em: EntityManager, orderIds: string[]): Promise<Map<string, PortalLink>> {
    const rows = orderIds.length ? await em.find(PortalCode, { order: { $in: orderIds } }, { refresh: true }) : [];
    return new Map(rows.map((r) => [r.order.id, this.link(r)]));
  }

  /** For the merchant console: the order's link, created on first request. */
  async portalLink(ctx: MerchantContext, orderId: string): Promise<PortalLink> {
    const order = await this.ownOrder(ctx, orderId);
    return this.ensurePortalCode(ctx.em, { id: order.id, merchantId: ctx.actor.merchantId });
  }

  /** A new code for the order; the previous link stops working with this commit. */
  async rotatePortalCode(ctx: MerchantContext, orderId: string): Promise<PortalLink> {
    const order = await this.ownOrder(ctx, orderId);
    const held = await this.ensurePortalCode(ctx.em, { id: order.id, merchantId: ctx.actor.merchantId });
    const code = randomToken(CODE_BYTES);
    await ctx.em.nativeUpdate(
      PortalCode,
      { order: order.id },
      {
        codeHash: hashSecret(code),
        codeSealed: this.keyring.encrypt(code),
        rotations: held.rotations + 1,
        updatedAt: this.clock.now(),
      },
    );
    const row = await ctx.em.findOneOrFail(PortalCode, { order: order.id }, { refresh: true });
    return this.link(row);
  }

  /**
   * The order a buyer's code opens, or null. Anything not shaped like a code is refused before any
   * database work; the lookup is by hash (the code itself is never compared or stored), and the
   * found hash is compared again in constant time.
   */
  async findOrderByPortalCode(em: EntityManager, code: string): Promise<Order | null> {
    if (typeof code !== 'string' || !CODE_SHAPE.test(code)) return null;
    const hash = hashSecret(code);
    const row = await em.findOne(PortalCode, { codeHash: hash }, { populate: ['order'], refresh: true });
    if (!row || !safeEqual(row.codeHash, hash)) return null;
    return row.order;
  }

  private link(row: PortalCode): PortalLink {
    const code = this.keyring.decrypt(row.codeSealed);
    return { orderId: row.order.id, code, url: this.urlFor(code), createdAt: row.createdAt, rotations: row.rotations };
  }

  private async ownOrder(ctx: MerchantContext, orderId: string): Promise<Order> {
    const order = isUuid(orderId) ? await ctx.em.findOne(Order, { id: orderId, merchant: ctx.actor.merchantId }) : null;
    if (!order) throw notFound('Order');
    return order;
  }
}
