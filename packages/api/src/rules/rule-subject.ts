import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderItem } from '../orders/order-item.entity.js';
import { Order } from '../orders/order.entity.js';
import type { RuleLine, RuleOrder } from './operation.js';

export interface RuleSubject {
  order: Order;
  /** The order's lines as entities (templates list titles and prices), ordered by external id. */
  items: OrderItem[];
  view: RuleOrder;
  lines: RuleLine[];
}

/** One order as rules see it (see loadSubjects). */
export async function loadSubject(em: EntityManager, orderId: string, merchantId: string): Promise<RuleSubject | null> {
  return (await loadSubjects(em, merchantId, [orderId])).get(orderId) ?? null;
}

/**
 * Orders, their lines with products and their channel's kind, for any number of orders: two
 * statements. `merchantId` null: orders of any merchant (workers handling batches of many merchants).
 */
export async function loadSubjects(
  em: EntityManager,
  merchantId: string | null,
  orderIds: string[],
): Promise<Map<string, RuleSubject>> {
  const subjects = new Map<string, RuleSubject>();
  if (orderIds.length === 0) return subjects;
  const orders = await em.find(
    Order,
    { id: { $in: [...new Set(orderIds)] }, ...(merchantId ? { merchant: merchantId } : {}) },
    { populate: ['connection'], disableIdentityMap: true },
  );
  if (orders.length === 0) return subjects;
  const items = await em.find(
    OrderItem,
    { order: { $in: orders.map((o) => o.id) } },
    { populate: ['product'], orderBy: { order: 'asc', externalId: 'asc' }, disableIdentityMap: true },
  );
  const itemsOf = new Map<string, OrderItem[]>();
  for (const item of items) {
    const list = itemsOf.get(item.order.id);
    if (list) list.push(item);
    else itemsOf.set(item.order.id, [item]);
  }
  for (const order of orders) subjects.set(order.id, subjectOf(order, itemsOf.get(order.id) ?? []));
  return subjects;
}

function subjectOf(order: Order, items: OrderItem[]): RuleSubject {
  return {
    order,
    items,
    view: {
      id: order.id,
      merchantId: order.merchant.id,
      connectionId: order.connection.id,
      channelKind: order.connection.kind,
      number: order.number,
      status: order.status,
      total: order.total,
      currency: order.currency,
      buyerEmail: order.buyerEmail,
      buyerCountry: order.buyerCountry,
      buyerLanguage: order.buyerLanguage,
      tags: order.tags,
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
