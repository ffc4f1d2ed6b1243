import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { notFound } from '@handoff/shared';
import { ProductFile } from '../catalog/product-file.entity.js';
import type { Clock } from '../clock.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent, type OrderEventSource } from '../orders/order-event.entity.js';
import { OrderItem } from '../orders/order-item.entity.js';
import { Order } from '../orders/order.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import { insertGrants, planGrants, type GrantMode } from './grant-plan.js';

/** Who changes grants: shown in the order's history. */
export interface GrantActor {
  merchantId: string;
  name: string;
  source?: OrderEventSource;
}

export interface GrantEdit {
  /** null = unlimited; absent = unchanged. */
  limit?: number | null;
  /** null = never expires; absent = unchanged. */
  expiresAt?: Date | null;
}

const editSchema = z
  .object({
    limit: z.number().int().min(0).max(1_000_000).nullable().optional(),
    expiresAt: z.date().nullable().optional(),
  })
  .refine((e) => e.limit !== undefined || e.expiresAt !== undefined, 'give limit, expiresAt or both');

export interface GrantResult {
  grants: DownloadGrant[];
  /** Grants this call added. */
  created: number;
}

/**
 * Creates and edits download grants: one per order line × file of a digital product. Counters
 * (`used`) are never written from a loaded entity; edits go through conditional native updates so a
 * download counted at the same moment is never overwritten.
 */
export class GrantService {
  constructor(private readonly clock: Clock) {}

  static actorOf(ctx: MerchantContext): GrantActor {
    return { merchantId: ctx.actor.merchantId, name: ctx.actor.name, source: 'merchant' };
  }

  /**
   * Grants every line of the order that has none yet: one grant per file of its digital product,
   * limit and expiry from the product, else the merchant's defaults. Idempotent: a line that already
   * has grants gets nothing new (files linked later arrive through `regenerate`).
   */
  async grantDownloads(em: EntityManager, orderId: string, actor: GrantActor): Promise<GrantResult> {
    return this.addMissing(em, orderId, actor, 'ungranted_lines');
  }

  /**
   * After the product's files changed: adds grants for files linked since, keeps every existing
   * grant and its count (a replaced file keeps its ProductFile row, hence its grant).
   */
  async regenerate(em: EntityManager, orderId: string, actor: GrantActor): Promise<GrantResult> {
    return this.addMissing(em, orderId, actor, 'all_lines');
  }

  /** The console's "grant downloads" / "regenerate" buttons. */
  grantFor(ctx: MerchantContext, orderId: string, regenerate = false): Promise<GrantResult> {
    const actor = GrantService.actorOf(ctx);
    return regenerate ? this.regenerate(ctx.em, orderId, actor) : this.grantDownloads(ctx.em, orderId, actor);
  }

  async forOrder(em: EntityManager, merchantId: string, orderId: string): Promise<DownloadGrant[]> {
    if (!isUuid(orderId)) return [];
    return em.find(
      DownloadGrant,
      { order: orderId, merchant: merchantId },
      { orderBy: { orderItem: 'asc', createdAt: 'asc', id: 'asc' }, refresh: true },
    );
  }

  async editGrant(ctx: MerchantContext, grantId: string, input: GrantEdit): Promise<DownloadGrant> {
    const edit = parseInput(editSchema, input);
    const grant = await this.ownGrant(ctx, grantId);
    await this.applyEdit(ctx, { id: grant.id }, edit);
    await this.history(ctx.em, GrantService.actorOf(ctx), grant.order.id, 'download_grant_edited', {
      grantIds: [grant.id],
      ...editData(edit),
    });
    return this.reload(ctx.em, grant.id);
  }

  async editOrder(ctx: MerchantContext, orderId: string, input: GrantEdit): Promise<DownloadGrant[]> {
    const edit = parseInput(editSchema, input);
    const order = await this.ownOrder(ctx.em, ctx.actor.merchantId, orderId);
    await this.applyEdit(ctx, { order: order.id }, edit);
    await this.history(ctx.em, GrantService.actorOf(ctx), order.id, 'download_grants_edited', editData(edit));
    return this.forOrder(ctx.em, ctx.actor.merchantId, order.id);
  }

  /** Starts the count again; expiry is untouched. */
  async resetUses(ctx: MerchantContext, grantId: string): Promise<DownloadGrant> {
    const grant = await this.ownGrant(ctx, grantId);
    await ctx.em.nativeUpdate(DownloadGrant, { id: grant.id }, { used: 0, updatedAt: ctx.clock.now() });
    await this.history(ctx.em, GrantService.actorOf(ctx), grant.order.id, 'download_uses_reset', {
      grantIds: [grant.id],
      usedBefore: grant.used,
    });
    return this.reload(ctx.em, grant.id);
  }

  async revokeLine(ctx: MerchantContext, orderItemId: string): Promise<DownloadGrant[]> {
    const item = await this.ownItem(ctx, orderItemId);
    const now = ctx.clock.now();
    const n = await ctx.em.nativeUpdate(
      DownloadGrant,
      { orderItem: item.id, revokedAt: null },
      { revokedAt: now, revokedReason: 'merchant', updatedAt: now },
    );
    if (n) await this.history(ctx.em, GrantService.actorOf(ctx), item.order.id, 'downloads_revoked', lineData(item));
    return this.forItem(ctx.em, item);
  }

  async restoreLine(ctx: MerchantContext, orderItemId: string): Promise<DownloadGrant[]> {
    const item = await this.ownItem(ctx, orderItemId);
    const n = await ctx.em.nativeUpdate(
      DownloadGrant,
      { orderItem: item.id, revokedAt: { $ne: null } },
      { revokedAt: null, revokedReason: null, updatedAt: ctx.clock.now() },
    );
    if (n) await this.history(ctx.em, GrantService.actorOf(ctx), item.order.id, 'downloads_restored', lineData(item));
    return this.forItem(ctx.em, item);
  }

  /** Revokes grants (of the whole order, or of one line) that are not revoked yet; returns how many. */
  async revokeForRefund(
    em: EntityManager,
    order: { id: string; merchantId: string },
    reason: 'refund' | 'cancellation',
    itemId?: string,
    data: Record<string, unknown> = {},
  ): Promise<number> {
    const now = this.clock.now();
    const n = await em.nativeUpdate(
      DownloadGrant,
      { order: order.id, ...(itemId && { orderItem: itemId }), revokedAt: null },
      { revokedAt: now, revokedReason: reason, updatedAt: now },
    );
    if (n) {
      await this.history(
        em,
        { merchantId: order.merchantId, name: reason, source: 'system' },
        order.id,
        'downloads_revoked',
        {
          ...data,
          reason,
          grants: n,
        },
      );
    }
    return n;
  }

  private async addMissing(
    em: EntityManager,
    orderId: string,
    actor: GrantActor,
    mode: GrantMode,
  ): Promise<GrantResult> {
    const order = await this.ownOrder(em, actor.merchantId, orderId);
    const [merchant, items, existing] = await Promise.all([
      em.findOneOrFail(Merchant, { id: actor.merchantId }),
      em.find(OrderItem, { order: order.id, merchant: actor.merchantId }, { populate: ['product'] }),
      em.find(DownloadGrant, { order: order.id, merchant: actor.merchantId }),
    ]);
    const productIds = [...new Set(items.flatMap((i) => (i.product?.digital ? [i.product.id] : [])))];
    const files = productIds.length
      ? await em.find(ProductFile, { product: { $in: productIds }, merchant: actor.merchantId })
      : [];
    const rows = planGrants({
      merchantId: actor.merchantId,
      orderId: order.id,
      items,
      files,
      existing: existing.map((g) => ({ orderItemId: g.orderItem.id, productFileId: g.productFile.id })),
      defaults: merchant.settings.downloads,
      now: this.clock.now(),
      mode,
    });
    const created = rows.length ? (await insertGrants(em, rows)).size : 0;
    if (created) {
      await this.history(em, actor, order.id, mode === 'all_lines' ? 'downloads_regenerated' : 'downloads_granted', {
        created,
      });
    }
    return { grants: await this.forOrder(em, actor.merchantId, order.id), created };
  }

  private async applyEdit(ctx: MerchantContext, where: { id: string } | { order: string }, edit: GrantEdit) {
    await ctx.em.nativeUpdate(
      DownloadGrant,
      { ...where, merchant: ctx.actor.merchantId },
      {
        ...(edit.limit !== undefined && { limit: edit.limit }),
        ...(edit.expiresAt !== undefined && { expiresAt: edit.expiresAt }),
        updatedAt: ctx.clock.now(),
      },
    );
  }

  private async history(
    em: EntityManager,
    actor: GrantActor,
    orderId: string,
    type: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await em.insert(OrderEvent, {
      id: randomUUID(),
      merchant: em.getReference(Merchant, actor.merchantId),
      order: em.getReference(Order, orderId),
      type,
      source: actor.source ?? 'merchant',
      actor: actor.name,
      data,
      createdAt: this.clock.now(),
    });
  }

  private async ownOrder(em: EntityManager, merchantId: string, orderId: string): Promise<Order> {
    const order = isUuid(orderId) ? await em.findOne(Order, { id: orderId, merchant: merchantId }) : null;
    if (!order) throw notFound('Order');
    return order;
  }

  private async ownGrant(ctx: MerchantContext, grantId: string): Promise<DownloadGrant> {
    const grant = isUuid(grantId)
      ? await ctx.em.findOne(DownloadGrant, { id: grantId, merchant: ctx.actor.merchantId })
      : null;
    if (!grant) throw notFound('Download grant');
    return grant;
  }

  private async ownItem(ctx: MerchantContext, itemId: string): Promise<OrderItem> {
    const item = isUuid(itemId)
      ? await ctx.em.findOne(OrderItem, { id: itemId, merchant: ctx.actor.merchantId })
      : null;
    if (!item) throw notFound('Order item');
    return item;
  }

  private forItem(em: EntityManager, item: OrderItem): Promise<DownloadGrant[]> {
    return em.find(DownloadGrant, { orderItem: item.id }, { orderBy: { createdAt: 'asc', id: 'asc' }, refresh: true });
  }

  private reload(em: EntityManager, id: string): Promise<DownloadGrant> {
    return em.findOneOrFail(DownloadGrant, { id }, { refresh: true });
  }
}

function editData(edit: GrantEdit): Record<string, unknown> {
  return {
    ...(edit.limit !== undefined && { limit: edit.limit }),
    ...(edit.expiresAt !== undefined && { expiresAt: edit.expiresAt?.toISOString() ?? null }),
  };
}

function lineData(item: OrderItem): Record<string, unknown> {
  return { orderItemId: item.id, itemExternalId: item.externalId, title: item.title };
}
