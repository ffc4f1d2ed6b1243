import type { EntityManager } from '@mikro-orm/postgresql';
import type { HubStatus } from '@handoff/shared';
import { Product } from '../catalog/product.entity.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { OrderItem } from '../orders/order-item.entity.js';
import { Order } from '../orders/order.entity.js';

export interface SeededOrders {
  connectionId: string;
  productIds: string[];
  orderIds: string[];
}

/** Inserts `count` orders with two items and two events each, straight through the ORM. */
export async function seedOrders(
  em: EntityManager,
  merchantId: string,
  count: number,
  options: { status?: HubStatus; emailDomain?: string; start?: Date } = {},
): Promise<SeededOrders> {
  const merchant = em.getReference(Merchant, merchantId);
  const start = options.start ?? new Date('2026-01-01T00:00:00Z');
  const connection = em.create(ChannelConnection, { merchant, kind: 'generic', name: 'Test channel' });
  const products = [0, 1].map((n) =>
    em.create(Product, {
      merchant,
      sku: `SKU-${merchantId.slice(0, 4)}-${n}-${Math.random().toString(36).slice(2, 8)}`,
      name: `Product ${n}`,
    }),
  );
  const orders = Array.from({ length: count }, (_, i) => {
    const placedAt = new Date(start.getTime() + i * 60_000);
    const order = em.create(Order, {
      merchant,
      connection,
      externalId: `ext-${i}`,
      number: `#${1000 + i}`,
      status: options.status ?? 'paid',
      buyerEmail: `buyer${i}@${options.emailDomain ?? 'example.com'}`,
      currency: 'EUR',
      total: 1990,
      placedAt,
      paidAt: placedAt,
      channelUpdatedAt: placedAt,
    });
    products.forEach((product, n) =>
      em.create(OrderItem, {
        merchant,
        order,
        externalId: `${i}-${n}`,
        sku: product.sku,
        title: product.name,
        unitPrice: 995,
        product,
      }),
    );
    em.create(OrderEvent, {
      merchant,
      order,
      type: 'imported',
      toStatus: 'pending',
      source: 'sync',
      createdAt: placedAt,
    });
    em.create(OrderEvent, {
      merchant,
      order,
      type: 'status_changed',
      fromStatus: 'pending',
      toStatus: 'paid',
      source: 'sync',
      createdAt: placedAt,
    });
    return order;
  });
  await em.flush();
  return { connectionId: connection.id, productIds: products.map((p) => p.id), orderIds: orders.map((o) => o.id) };
}
