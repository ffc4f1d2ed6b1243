import type { EntityManager } from '@mikro-orm/postgresql';
import type { HubStatus } from '@handoff/shared';
import { sql } from '../db/sql.js';
import type { OrderFacts, OrderItemRow, OrderLineFacts } from '../orders/order-facts.js';
import type { RuleLine, RuleOrder } from './operation.js';

export interface RuleSubject {
  order: OrderFacts;
  /** The order's lines with their products (templates list titles and prices), ordered by external id. */
  items: OrderLineFacts[];
  view: RuleOrder;
  lines: RuleLine[];
}

/** One order as rules see it (see loadSubjects). */
export async function loadSubject(em: EntityManager, orderId: string, merchantId: string): Promise<RuleSubject | null> {
  return (await loadSubjects(em, merchantId, [orderId])).get(orderId) ?? null;
}

interface OrderRow {
  id: string;
  merchant_id: string;
  connection_id: string;
  channel_kind: string;
  external_id: string;
  number: string;
  status: HubStatus;
  currency: string;
  total: number;
  tax_total: number;
  /** A string: the ORM's connection leaves timestamps unparsed. */
  placed_at: string;
  buyer_email: string | null;
  buyer_name: string | null;
  buyer_language: string | null;
  buyer_country: string | null;
  tags: string[];
}

/** A line with its product's columns (null without a product). */
interface LineRow extends Omit<OrderItemRow, 'tax'> {
  digital: boolean | null;
  download_limit: number | null;
  download_validity_days: number | null;
}

/**
 * Orders, their lines with products and their channel's kind, for any number of orders: two
 * statements, read as plain rows. `merchantId` null: orders of any merchant (workers handling
 * batches of many merchants).
 */
export async function loadSubjects(
  em: EntityManager,
  merchantId: string | null,
  orderIds: string[],
): Promise<Map<string, RuleSubject>> {
  const subjects = new Map<string, RuleSubject>();
  if (orderIds.length === 0) return subjects;
  const orders = await sql<OrderRow>(
    em,
    `select o.id, o.merchant_id, o.connection_id, c.kind as channel_kind, o.external_id, o.number, o.status,
            o.currency, o.total, o.tax_total, o.placed_at, o.buyer_email, o.buyer_name, o.buyer_language,
            o.buyer_country, o.tags
       from "order" o join channel_connection c on c.id = o.connection_id
      where o.id = any(?::uuid[]) and (?::uuid is null or o.merchant_id = ?::uuid)`,
    [[...new Set(orderIds)], merchantId, merchantId],
  );
  if (orders.length === 0) return subjects;
  const lines = await sql<LineRow>(
    em,
    `select i.id, i.order_id, i.external_id, i.sku, i.title, i.quantity, i.unit_price, i.refunded_quantity,
            i.cancelled, p.id as product_id, p.digital, p.download_limit, p.download_validity_days
       from order_item i left join product p on p.id = i.product_id
      where i.order_id = any(?::uuid[])
      order by i.order_id, i.external_id`,
    [orders.map((o) => o.id)],
  );
  const linesOf = new Map<string, OrderLineFacts[]>();
  for (const row of lines) {
    const line = lineFacts(row);
    const list = linesOf.get(row.order_id);
    if (list) list.push(line);
    else linesOf.set(row.order_id, [line]);
  }
  for (const row of orders) subjects.set(row.id, subjectOf(row, linesOf.get(row.id) ?? []));
  return subjects;
}

function lineFacts(row: LineRow): OrderLineFacts {
  return {
    id: row.id,
    externalId: row.external_id,
    sku: row.sku,
    title: row.title,
    quantity: row.quantity,
    unitPrice: row.unit_price,
    refundedQuantity: row.refunded_quantity,
    cancelled: row.cancelled,
    product: row.product_id
      ? {
          id: row.product_id,
          digital: row.digital ?? false,
          downloadLimit: row.download_limit,
          downloadValidityDays: row.download_validity_days,
        }
      : null,
  };
}

function subjectOf(row: OrderRow, items: OrderLineFacts[]): RuleSubject {
  const order: OrderFacts = {
    id: row.id,
    merchant: { id: row.merchant_id },
    connection: { id: row.connection_id },
    externalId: row.external_id,
    number: row.number,
    status: row.status,
    currency: row.currency,
    total: row.total,
    taxTotal: row.tax_total,
    placedAt: new Date(row.placed_at),
    buyerEmail: row.buyer_email,
    buyerName: row.buyer_name,
    buyerLanguage: row.buyer_language,
    buyerCountry: row.buyer_country,
    tags: row.tags,
  };
  return {
    order,
    items,
    view: {
      id: row.id,
      merchantId: row.merchant_id,
      connectionId: row.connection_id,
      channelKind: row.channel_kind,
      number: row.number,
      status: row.status,
      total: row.total,
      currency: row.currency,
      buyerEmail: row.buyer_email,
      buyerCountry: row.buyer_country,
      buyerLanguage: row.buyer_language,
      tags: row.tags,
    },
    lines: items.map((i) => ({
      id: i.id,
      sku: i.sku,
      productId: i.product?.id ?? null,
      digital: i.product?.digital ?? false,
      cancelled: i.cancelled,
      quantity: i.quantity,
      refundedQuantity: i.refundedQuantity,
    })),
  };
}
