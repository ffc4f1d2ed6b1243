import { randomUUID } from 'node:crypto';
import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { HubStatus, NormalizedOrder, NormalizedOrderItem } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { sql } from '../db/sql.js';
import { orderFingerprint } from './order-fingerprint.js';
import type { OrderEventSource } from './order-event.entity.js';
import { insertOrderEvents, type OrderEventRow } from './order-event-rows.js';
import type { OrderItemRow } from './order-facts.js';
import { OrderItem } from './order-item.entity.js';
import { lineTriggers, statusTriggers, type TriggerDraft } from './order-transitions.js';
import { insertTriggers, type TriggerRow } from './order-trigger.repository.js';
import { Order } from './order.entity.js';
import { ProductMatcher } from './product-matcher.js';
import { storableOrder } from './storable-order.js';
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
  /** Orders left out because the database cannot hold them (an amount beyond its integers, say). */
  refused: RefusedOrder[];
}

export interface RefusedOrder {
  externalId: string;
  reason: string;
}

export const emptyCounts = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0, stale: 0, refused: [] });

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
    batch: NormalizedOrder[],
    by: ImportSource,
  ): Promise<ImportCounts> {
    const { incoming, refused } = storableOrders(batch);
    if (incoming.length === 0) return { ...emptyCounts(), refused };
    await tx
      .getConnection()
      .execute(
        'select pg_advisory_xact_lock(hashtextextended(?, 0))',
        [target.connectionId],
        'all',
        tx.getTransactionContext(),
      );

    const { counts, toCreate, toUpdate } = await classify(tx, target.connectionId, incoming, refused);
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
    await this.publisher.publish(tx, triggerIds, target.merchantId);
    return counts;
  }

  /**
   * Counts for a batch that would write nothing (every order unchanged or stale), else null. A
   * read without the lock: callers use it to skip a transaction, never to decide a write.
   */
  async unchangedCounts(
    em: EntityManager,
    target: ImportTarget,
    batch: NormalizedOrder[],
  ): Promise<ImportCounts | null> {
    const { incoming, refused } = storableOrders(batch);
    const { counts, toCreate, toUpdate } = await classify(em, target.connectionId, incoming, refused);
    return toCreate.length === 0 && toUpdate.size === 0 ? counts : null;
  }

  /** New orders skip the unit of work: multi-row inserts of the orders, lines and history. */
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
    const eventRows: OrderEventRow[] = [];
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
        merchantId: merchant,
        orderId: id,
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
    await insertOrderEvents(tx, eventRows);
    return triggers;
  }

  /**
   * Changed orders skip the unit of work too: the orders in one UPDATE, changed lines in another,
   * new lines and the history in multi-row inserts (computing a unit-of-work change set over every
   * order's raw payload cost more than the writes).
   */
  private async applyChanges(
    tx: EntityManager,
    target: ImportTarget,
    changes: Map<string, Changed>,
    matcher: ProductMatcher,
    by: ImportSource,
    now: Date,
  ): Promise<TriggerRow[]> {
    if (changes.size === 0) return [];
    const ids = [...changes.keys()];
    const heldLines = await sql<OrderItemRow>(
      tx,
      `select id, order_id, external_id, sku, title, quantity, unit_price, tax, refunded_quantity, cancelled, product_id
         from order_item where order_id = any(?::uuid[])`,
      [ids],
    );
    const linesOf = new Map<string, OrderItemRow[]>();
    for (const line of heldLines) {
      const lines = linesOf.get(line.order_id);
      if (lines) lines.push(line);
      else linesOf.set(line.order_id, [line]);
    }
    const writes: ChangeWrites = { orders: [], lineUpdates: [], newLines: [], events: [], triggers: [] };
    const event = (orderId: string, type: string, extra: Partial<OrderEventRow> = {}) => {
      const row: OrderEventRow = {
        id: randomUUID(),
        merchantId: target.merchantId,
        orderId,
        type,
        source: by.source,
        actor: by.actor,
        data: null,
        createdAt: now,
        ...extra,
      };
      writes.events.push(row);
      return row.id!;
    };
    for (const [id, { next, fingerprint, before }] of changes) {
      writes.orders.push({ id, ...orderColumns(next, fingerprint), updated_at: now });
      if (before !== next.status) {
        const eventId = event(id, 'status_changed', { fromStatus: before, toStatus: next.status });
        for (const draft of statusTriggers(before, next.status, eventId)) writes.triggers.push({ orderId: id, draft });
      }
      this.diffLines(target, id, linesOf.get(id) ?? [], next.items, matcher, event, writes);
    }
    await sql(
      tx,
      `update "order" o set number = v.number, status = v.status, channel_status = v.channel_status,
           buyer_email = v.buyer_email, buyer_name = v.buyer_name, buyer_language = v.buyer_language,
           buyer_country = v.buyer_country, currency = v.currency, total = v.total, tax_total = v.tax_total,
           tags = v.tags, placed_at = v.placed_at, paid_at = v.paid_at, channel_updated_at = v.channel_updated_at,
           raw = v.raw, fingerprint = v.fingerprint, updated_at = v.updated_at
         from jsonb_to_recordset(?::jsonb) as v(id uuid, number varchar, status varchar, channel_status varchar,
           buyer_email varchar, buyer_name varchar, buyer_language varchar, buyer_country varchar, currency varchar,
           total int, tax_total int, tags text[], placed_at timestamptz, paid_at timestamptz,
           channel_updated_at timestamptz, raw jsonb, fingerprint varchar, updated_at timestamptz)
        where o.id = v.id`,
      [JSON.stringify(writes.orders)],
    );
    if (writes.lineUpdates.length)
      await sql(
        tx,
        `update order_item i set sku = v.sku, title = v.title, quantity = v.quantity, unit_price = v.unit_price,
             tax = v.tax, refunded_quantity = v.refunded_quantity, cancelled = v.cancelled, product_id = v.product_id
           from jsonb_to_recordset(?::jsonb) as v(id uuid, sku varchar, title varchar, quantity int, unit_price int,
             tax int, refunded_quantity int, cancelled boolean, product_id uuid)
          where i.id = v.id`,
        [JSON.stringify(writes.lineUpdates)],
      );
    await insertChunked(tx, OrderItem, writes.newLines);
    await insertOrderEvents(tx, writes.events);
    return writes.triggers;
  }

  /**
   * Lines keyed by their external id: changed ones are updated, new ones inserted, and a line the
   * channel dropped counts as cancelled. Refunds and cancellations are history and triggers.
   */
  private diffLines(
    target: ImportTarget,
    orderId: string,
    held: OrderItemRow[],
    incoming: NormalizedOrderItem[],
    matcher: ProductMatcher,
    event: (orderId: string, type: string, extra?: Partial<OrderEventRow>) => string,
    writes: ChangeWrites,
  ): void {
    const byExternalId = new Map(held.map((l) => [l.external_id, l]));
    const seen = new Set<string>();
    const triggers = (drafts: TriggerDraft[]) => {
      for (const draft of drafts) writes.triggers.push({ orderId, draft });
    };
    for (const next of incoming) {
      seen.add(next.externalId);
      const line = byExternalId.get(next.externalId);
      const state = line && {
        externalId: line.external_id,
        refundedQuantity: line.refunded_quantity,
        cancelled: line.cancelled,
      };
      const found = lineTriggers(state, next);
      if (found.length) {
        event(orderId, 'line_refunded', { data: found[0]!.data ?? null });
        triggers(found);
      }
      const fields = itemFields(next);
      if (!line) {
        writes.newLines.push({
          id: randomUUID(),
          merchant: target.merchantId,
          order: orderId,
          ...fields,
          product: matcher.productFor(next.sku)?.id ?? null,
        });
        continue;
      }
      const productId = line.product_id ?? matcher.productFor(next.sku)?.id ?? null;
      const update = {
        id: line.id,
        sku: fields.sku,
        title: fields.title,
        quantity: fields.quantity,
        unit_price: fields.unitPrice,
        tax: fields.tax,
        refunded_quantity: fields.refundedQuantity,
        cancelled: fields.cancelled,
        product_id: productId,
      };
      const changed =
        line.sku !== update.sku ||
        line.title !== update.title ||
        line.quantity !== update.quantity ||
        line.unit_price !== update.unit_price ||
        line.tax !== update.tax ||
        line.refunded_quantity !== update.refunded_quantity ||
        line.cancelled !== update.cancelled ||
        line.product_id !== update.product_id;
      if (changed) writes.lineUpdates.push(update);
    }
    for (const line of held) {
      if (seen.has(line.external_id) || line.cancelled) continue;
      triggers(
        lineTriggers(
          { externalId: line.external_id, refundedQuantity: line.refunded_quantity, cancelled: false },
          { externalId: line.external_id, refundedQuantity: line.refunded_quantity, cancelled: true },
        ),
      );
      writes.lineUpdates.push({
        id: line.id,
        sku: line.sku,
        title: line.title,
        quantity: line.quantity,
        unit_price: line.unit_price,
        tax: line.tax,
        refunded_quantity: line.refunded_quantity,
        cancelled: true,
        product_id: line.product_id,
      });
      event(orderId, 'line_removed', { data: { itemExternalId: line.external_id } });
    }
  }
}

interface ChangeWrites {
  orders: Record<string, unknown>[];
  lineUpdates: Record<string, unknown>[];
  newLines: Record<string, unknown>[];
  events: OrderEventRow[];
  triggers: TriggerRow[];
}

interface Prepared {
  next: NormalizedOrder;
  fingerprint: string;
}

/** A changed order: what arrived, and the status the hub held (read under the import's lock). */
interface Changed extends Prepared {
  before: HubStatus;
}

interface HeldOrder {
  id: string;
  status: HubStatus;
  fingerprint: string;
  channelUpdatedAt: Date;
}

/** Sorts a batch into new, changed, unchanged and stale orders against what the hub holds. */
async function classify(em: EntityManager, connectionId: string, incoming: NormalizedOrder[], refused: RefusedOrder[]) {
  const counts = { ...emptyCounts(), refused };
  const latest = newestPerExternalId(incoming);
  const held = await heldOrders(em, connectionId, [...latest.keys()]);
  const toCreate: Prepared[] = [];
  const toUpdate = new Map<string, Changed>();
  for (const next of latest.values()) {
    const row = held.get(next.externalId);
    const fingerprint = orderFingerprint(next);
    if (!row) toCreate.push({ next, fingerprint });
    else if (next.updatedAt < row.channelUpdatedAt) counts.stale += 1;
    else if (fingerprint === row.fingerprint) counts.unchanged += 1;
    else toUpdate.set(row.id, { next, fingerprint, before: row.status });
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
    .select(['id', 'externalId', 'status', 'fingerprint', 'channelUpdatedAt'])
    .where({ connection: connectionId, externalId: { $in: externalIds } })
    .execute<{ id: string; external_id: string; status: HubStatus; fingerprint: string; channel_updated_at: Date }[]>(
      'all',
      false,
    );
  return new Map(
    rows.map((r) => [
      r.external_id,
      { id: r.id, status: r.status, fingerprint: r.fingerprint, channelUpdatedAt: new Date(r.channel_updated_at) },
    ]),
  );
}

/** A batch's orders as the database can hold them, and those it cannot. */
function storableOrders(batch: NormalizedOrder[]): { incoming: NormalizedOrder[]; refused: RefusedOrder[] } {
  const incoming: NormalizedOrder[] = [];
  const refused: RefusedOrder[] = [];
  for (const checked of batch.map(storableOrder)) {
    if (checked.ok) incoming.push(checked.order);
    else refused.push({ externalId: checked.externalId.slice(0, 200), reason: checked.reason });
  }
  return { incoming, refused };
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

/** orderFields as column names, for the set-based update of changed orders. */
function orderColumns(next: NormalizedOrder, fingerprint: string) {
  const f = orderFields(next, fingerprint);
  return {
    number: f.number,
    status: f.status,
    channel_status: f.channelStatus,
    buyer_email: f.buyerEmail,
    buyer_name: f.buyerName,
    buyer_language: f.buyerLanguage,
    buyer_country: f.buyerCountry,
    currency: f.currency,
    total: f.total,
    tax_total: f.taxTotal,
    tags: f.tags,
    placed_at: f.placedAt,
    paid_at: f.paidAt,
    channel_updated_at: f.channelUpdatedAt,
    raw: f.raw,
    fingerprint: f.fingerprint,
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
