import { randomUUID } from 'node:crypto';
import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { NormalizedOrder, NormalizedOrderItem } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { orderFingerprint } from './order-fingerprint.js';
import { OrderEvent, type OrderEventSource } from './order-event.entity.js';
import { OrderItem } from './order-item.entity.js';
import { lineTriggers, statusTriggers, type TriggerDraft } from './order-transitions.js';
import { insertTriggers, type TriggerRow } from './order-trigger.repository.js';
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
    if (incoming.length === 0) return emptyCounts();
    await tx
      .getConnection()
      .execute(
        'select pg_advisory_xact_lock(hashtextextended(?, 0))',
        [target.connectionId],
        'all',
        tx.getTransactionContext(),
      );

    const { counts, toCreate, toUpdate } = await classify(tx, target.connectionId, incoming);
    // A re-sync of unchanged orders ends here: one lookup, no writes.
    if (toCreate.length === 0 && toUpdate.size === 0) return counts;

    const now = this.clock.now();
    const matcher = await ProductMatcher.load(
      tx,
      target,
      [...toCreate, ...toUpdate.values()].map((p) => p.next),
    );
    const triggers = [
      ...(await this.insertNew(tx, target, toCreate, matcher, by, now)),
      ...(await this.applyChanges(tx, target, toUpdate, matcher, by, now)),
    ];
    const triggerIds = await insertTriggers(tx, target.merchantId, triggers, now);
    await this.publisher.publish(tx, triggerIds);
    return counts;
  }

  /**
   * Counts for a batch that would write nothing (every order unchanged or stale), else null. A
   * read without the lock: callers use it to skip a transaction, never to decide a write.
   */
  async unchangedCounts(
    em: EntityManager,
    target: ImportTarget,
    incoming: NormalizedOrder[],
  ): Promise<ImportCounts | null> {
    const { counts, toCreate, toUpdate } = await classify(em, target.connectionId, incoming);
    return toCreate.length === 0 && toUpdate.size === 0 ? counts : null;
  }

  /** New orders skip the unit of work: three multi-row inserts (orders, lines, history). */
  private async insertNew(
    tx: EntityManager,
    target: ImportTarget,
    orders: Prepared[],
    matcher: ProductMatcher,
    by: ImportSource,
    now: Date,
  ): Promise<TriggerRow[]> {
    if (orders.length === 0) return [];
    const merchant = target.merchantId;
    const triggers: TriggerRow[] = [];
    const orderRows = [];
    const itemRows = [];
    const eventRows = [];
    for (const { next, fingerprint } of orders) {
      const id = randomUUID();
      const eventId = randomUUID();
      orderRows.push({
        id,
        merchant,
        connection: target.connectionId,
        externalId: next.externalId,
        ...orderFields(next, fingerprint),
        createdAt: now,
        updatedAt: now,
      });
      for (const item of next.items) {
        itemRows.push({
          id: randomUUID(),
          merchant,
          order: id,
          ...itemFields(item),
          product: matcher.productFor(item.sku)?.id ?? null,
        });
      }
      eventRows.push({
        id: eventId,
        merchant,
        order: id,
        type: 'imported',
        fromStatus: null,
        toStatus: next.status,
        source: by.source,
        actor: by.actor,
        data: null,
        createdAt: now,
      });
      for (const draft of statusTriggers(null, next.status, eventId)) triggers.push({ orderId: id, draft });
      for (const item of next.items)
        for (const draft of lineTriggers(undefined, item)) triggers.push({ orderId: id, draft });
    }
    await insertChunked(tx, Order, orderRows);
    await insertChunked(tx, OrderItem, itemRows);
    await insertChunked(tx, OrderEvent, eventRows);
    return triggers;
  }

  /** Changed orders go through the unit of work: order, lines and history updated together. */
  private async applyChanges(
    tx: EntityManager,
    target: ImportTarget,
    changes: Map<string, Prepared>,
    matcher: ProductMatcher,
    by: ImportSource,
    now: Date,
  ): Promise<TriggerRow[]> {
    if (changes.size === 0) return [];
    const merchant = tx.getReference(Merchant, target.merchantId);
    const ids = [...changes.keys()];
    const orders = await tx.find(Order, { id: { $in: ids } });
    const items = await tx.find(OrderItem, { order: { $in: ids } });
    const itemsByOrder = new Map<string, OrderItem[]>();
    for (const item of items) {
      const lines = itemsByOrder.get(item.order.id);
      if (lines) lines.push(item);
      else itemsByOrder.set(item.order.id, [item]);
    }
    const triggers: TriggerRow[] = [];
    for (const order of orders) {
      const { next, fingerprint } = changes.get(order.id)!;
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
        for (const draft of statusTriggers(before, next.status, event.id)) triggers.push({ orderId: order.id, draft });
      }
      for (const draft of this.updateLines(tx, order, itemsByOrder.get(order.id) ?? [], next.items, matcher, by, now)) {
        triggers.push({ orderId: order.id, draft });
      }
    }
    await tx.flush();
    return triggers;
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

interface Prepared {
  next: NormalizedOrder;
  fingerprint: string;
}

interface HeldOrder {
  id: string;
  fingerprint: string;
  channelUpdatedAt: Date;
}

/** Sorts a batch into new, changed, unchanged and stale orders against what the hub holds. */
async function classify(em: EntityManager, connectionId: string, incoming: NormalizedOrder[]) {
  const counts = emptyCounts();
  const latest = newestPerExternalId(incoming);
  const held = await heldOrders(em, connectionId, [...latest.keys()]);
  const toCreate: Prepared[] = [];
  const toUpdate = new Map<string, Prepared>();
  for (const next of latest.values()) {
    const row = held.get(next.externalId);
    const fingerprint = orderFingerprint(next);
    if (!row) toCreate.push({ next, fingerprint });
    else if (next.updatedAt < row.channelUpdatedAt) counts.stale += 1;
    else if (fingerprint === row.fingerprint) counts.unchanged += 1;
    else toUpdate.set(row.id, { next, fingerprint });
  }
  counts.created = toCreate.length;
  counts.updated = toUpdate.size;
  return { counts, toCreate, toUpdate };
}

/** What classification needs of the orders already held: plain rows, no entities. */
async function heldOrders(
  tx: EntityManager,
  connectionId: string,
  externalIds: string[],
): Promise<Map<string, HeldOrder>> {
  const rows = await tx
    .createQueryBuilder(Order)
    .select(['id', 'externalId', 'fingerprint', 'channelUpdatedAt'])
    .where({ connection: connectionId, externalId: { $in: externalIds } })
    .execute<{ id: string; external_id: string; fingerprint: string; channel_updated_at: Date }[]>('all', false);
  return new Map(
    rows.map((r) => [
      r.external_id,
      { id: r.id, fingerprint: r.fingerprint, channelUpdatedAt: new Date(r.channel_updated_at) },
    ]),
  );
}

const INSERT_CHUNK = 500;

async function insertChunked<T extends object>(
  tx: EntityManager,
  entity: EntityName<T>,
  rows: object[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx.insertMany(entity, rows.slice(i, i + INSERT_CHUNK) as never[]);
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
