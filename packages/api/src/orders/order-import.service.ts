import type { EntityManager } from '@mikro-orm/postgresql';
import type { NormalizedOrder, NormalizedOrderItem } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { orderFingerprint } from './order-fingerprint.js';
import { OrderEvent, type OrderEventSource } from './order-event.entity.js';
import { OrderItem } from './order-item.entity.js';
import { lineTriggers, statusTriggers, type TriggerDraft } from './order-transitions.js';
import { insertTriggers } from './order-trigger.repository.js';
import { Order } from './order.entity.js';
import { ProductMatcher } from './product-matcher.js';
import type { TriggerPublisher } from './trigger-publisher.js';

export interface ImportTarget {
  connectionId: string;
  merchantId: string;
}

export interface ImportSource {
  source: OrderEventSource;
  actor: string;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Reports older than what the hub holds (late webhook retries), ignored. */
  stale: number;
}

export const emptyCounts = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0, stale: 0 });

/**
 * The one way orders enter the hub: an idempotent upsert keyed by (connection, external id).
 * An unchanged order writes nothing; a change writes the order, its lines, its history and its
 * triggers in the caller's transaction. Imports of one connection are serialized by a transaction
 * advisory lock, so a webhook and a sync page reporting the same order cannot both insert it.
 */
export class OrderImportService {
  constructor(
    private readonly clock: Clock,
    private readonly publisher: TriggerPublisher,
  ) {}

  /** Must run inside a transaction (`em.transactional`). */
  async importBatch(
    tx: EntityManager,
    target: ImportTarget,
    incoming: NormalizedOrder[],
    by: ImportSource,
  ): Promise<ImportCounts> {
    const counts = emptyCounts();
    if (incoming.length === 0) return counts;
    await tx
      .getConnection()
      .execute(
        'select pg_advisory_xact_lock(hashtextextended(?, 0))',
        [target.connectionId],
        'all',
        tx.getTransactionContext(),
      );

    const latest = newestPerExternalId(incoming);
    const held = new Map(
      (await tx.find(Order, { connection: target.connectionId, externalId: { $in: [...latest.keys()] } })).map((o) => [
        o.externalId,
        o,
      ]),
    );
    const now = this.clock.now();
    const merchant = tx.getReference(Merchant, target.merchantId);
    const connection = tx.getReference(ChannelConnection, target.connectionId);
    const matcher = await ProductMatcher.load(tx, target, incoming);
    const triggers: { order: Order; draft: TriggerDraft }[] = [];
    const changed: { order: Order; next: NormalizedOrder; fingerprint: string }[] = [];

    for (const next of latest.values()) {
      const order = held.get(next.externalId);
      const fingerprint = orderFingerprint(next);
      if (!order) {
        const created = tx.create(Order, {
          merchant,
          connection,
          externalId: next.externalId,
          ...orderFields(next, fingerprint),
          createdAt: now,
          updatedAt: now,
        });
        for (const item of next.items)
          tx.create(OrderItem, {
            merchant,
            order: created,
            ...itemFields(item),
            product: matcher.productFor(item.sku),
          });
        const event = tx.create(OrderEvent, {
          merchant,
          order: created,
          type: 'imported',
          toStatus: next.status,
          source: by.source,
          actor: by.actor,
          createdAt: now,
        });
        for (const draft of statusTriggers(null, next.status, event.id)) triggers.push({ order: created, draft });
        for (const item of next.items)
          for (const draft of lineTriggers(undefined, item)) triggers.push({ order: created, draft });
        counts.created += 1;
      } else if (next.updatedAt < order.channelUpdatedAt) {
        counts.stale += 1;
      } else if (fingerprint === order.fingerprint) {
        counts.unchanged += 1;
      } else {
        changed.push({ order, next, fingerprint });
        counts.updated += 1;
      }
    }

    if (changed.length) {
      const items = await tx.find(OrderItem, { order: { $in: changed.map((c) => c.order) } });
      const itemsByOrder = new Map<string, OrderItem[]>();
      for (const item of items) itemsByOrder.set(item.order.id, [...(itemsByOrder.get(item.order.id) ?? []), item]);
      for (const { order, next, fingerprint } of changed) {
        const before = order.status;
        tx.assign(order, { ...orderFields(next, fingerprint), updatedAt: now });
        if (before !== next.status) {
          const event = tx.create(OrderEvent, {
            merchant,
            order,
            type: 'status_changed',
            fromStatus: before,
            toStatus: next.status,
            source: by.source,
            actor: by.actor,
            createdAt: now,
          });
          for (const draft of statusTriggers(before, next.status, event.id)) triggers.push({ order, draft });
        }
        for (const draft of this.updateLines(tx, order, itemsByOrder.get(order.id) ?? [], next.items, matcher, by, now))
          triggers.push({ order, draft });
      }
    }

    await tx.flush();
    const triggerIds = await insertTriggers(tx, target.merchantId, triggers, now);
    await this.publisher.publish(tx, triggerIds);
    return counts;
  }

  /** Updates lines in place (keyed by their external id); a line the channel dropped counts as cancelled. */
  private updateLines(
    tx: EntityManager,
    order: Order,
    held: OrderItem[],
    incoming: NormalizedOrderItem[],
    matcher: ProductMatcher,
    by: ImportSource,
    now: Date,
  ): TriggerDraft[] {
    const drafts: TriggerDraft[] = [];
    const byId = new Map(held.map((i) => [i.externalId, i]));
    const seen = new Set<string>();
    for (const next of incoming) {
      seen.add(next.externalId);
      const item = byId.get(next.externalId);
      const found = lineTriggers(item, next);
      if (found.length) {
        tx.create(OrderEvent, {
          merchant: order.merchant,
          order,
          type: 'line_refunded',
          source: by.source,
          actor: by.actor,
          data: found[0]!.data ?? null,
          createdAt: now,
        });
        drafts.push(...found);
      }
      if (item) tx.assign(item, { ...itemFields(next), product: item.product ?? matcher.productFor(next.sku) });
      else
        tx.create(OrderItem, {
          merchant: order.merchant,
          order,
          ...itemFields(next),
          product: matcher.productFor(next.sku),
        });
    }
    for (const item of held) {
      if (seen.has(item.externalId) || item.cancelled) continue;
      const draft = lineTriggers(item, {
        externalId: item.externalId,
        refundedQuantity: item.refundedQuantity,
        cancelled: true,
      });
      item.cancelled = true;
      tx.create(OrderEvent, {
        merchant: order.merchant,
        order,
        type: 'line_removed',
        source: by.source,
        actor: by.actor,
        data: { itemExternalId: item.externalId },
        createdAt: now,
      });
      drafts.push(...draft);
    }
    return drafts;
  }
}

function newestPerExternalId(orders: NormalizedOrder[]): Map<string, NormalizedOrder> {
  const latest = new Map<string, NormalizedOrder>();
  for (const order of orders) {
    const seen = latest.get(order.externalId);
    if (!seen || order.updatedAt >= seen.updatedAt) latest.set(order.externalId, order);
  }
  return latest;
}

function orderFields(next: NormalizedOrder, fingerprint: string) {
  return {
    number: next.number,
    status: next.status,
    channelStatus: next.channelStatus.slice(0, 100),
    buyerEmail: next.buyer.email,
    buyerName: next.buyer.name,
    buyerLanguage: next.buyer.language,
    buyerCountry: next.buyer.country,
    currency: next.currency,
    total: next.total,
    taxTotal: next.taxTotal,
    tags: next.tags,
    placedAt: next.createdAt,
    paidAt: next.paidAt,
    channelUpdatedAt: next.updatedAt,
    raw: next.raw,
    fingerprint,
  };
}

function itemFields(item: NormalizedOrderItem) {
  return {
    externalId: item.externalId,
    sku: item.sku,
    title: item.title.slice(0, 500),
    quantity: item.quantity,
    unitPrice: item.unitPrice,
    tax: item.tax,
    refundedQuantity: item.refundedQuantity,
    cancelled: item.cancelled,
  };
}
