import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderItem } from '../orders/order-item.entity.js';
import { Order } from '../orders/order.entity.js';
import type { RuleLine, RuleOrder } from './operation.js';

export interface RuleSubject {
  order: Order;
  view: RuleOrder;
  lines: RuleLine[];
}

/** The order, its lines and their products, and its channel's kind: two statements. */
export async function loadSubject(em: EntityManager, orderId: string, merchantId: string): Promise<RuleSubject | null> {
  const order = await em.findOne(
    Order,
    { id: orderId, merchant: merchantId },
    { populate: ['connection'], refresh: true },
  );
  if (!order) return null;
  const items = await em.find(
    OrderItem,
    { order: order.id },
    { populate: ['product'], orderBy: { externalId: 'asc' } },
  );
  return {
    order,
    view: {
      id: order.id,
      merchantId,
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
