import type { EntityManager } from '@mikro-orm/postgresql';
import { MERCHANT_SCOPES } from '@handoff/shared';
import { Product } from '../catalog/product.entity.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import type { Clock } from '../clock.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { OrderItem } from '../orders/order-item.entity.js';
import { Order } from '../orders/order.entity.js';
import type { Services } from '../services.js';
import { DEMO_BUYERS, DEMO_PRODUCTS, DEMO_STATUSES } from './demo-catalog.js';

export interface DemoSeed {
  merchantId: string;
  apiKey: string;
  orders: number;
}

const DEMO_ORDER_COUNT = 24;

/** A demo merchant with a catalog, a push channel and orders in every status. */
export async function seedDemo(em: EntityManager, services: Services, clock: Clock): Promise<DemoSeed> {
  const now = clock.now();
  return em.transactional(async (tx) => {
    const merchant = await services.merchants.create(tx, {
      name: 'Demo Digital Store',
      contactEmail: 'support@demo-store.example',
    });
    const connection = tx.create(ChannelConnection, {
      merchant,
      kind: 'generic',
      name: 'Demo shop (push API)',
      createdAt: now,
    });
    const products = DEMO_PRODUCTS.map((p) => tx.create(Product, { ...p, merchant, createdAt: now, updatedAt: now }));

    for (let i = 0; i < DEMO_ORDER_COUNT; i++) {
      const buyer = DEMO_BUYERS[i % DEMO_BUYERS.length]!;
      const status = DEMO_STATUSES[i % DEMO_STATUSES.length]!;
      const placedAt = new Date(now.getTime() - (DEMO_ORDER_COUNT - i) * 6 * 3_600_000);
      const lines = [products[i % products.length]!, ...(i % 3 === 0 ? [products[(i + 1) % products.length]!] : [])];
      const order = tx.create(Order, {
        merchant,
        connection,
        externalId: `demo-${1001 + i}`,
        number: `#${1001 + i}`,
        status,
        channelStatus: status,
        buyerEmail: buyer.email,
        buyerName: buyer.name,
        buyerLanguage: buyer.language,
        buyerCountry: buyer.country,
        currency: 'EUR',
        total: 0,
        taxTotal: 0,
        placedAt,
        paidAt: status === 'pending' ? null : placedAt,
        channelUpdatedAt: placedAt,
        createdAt: placedAt,
        updatedAt: placedAt,
      });
      lines.forEach((product, n) => {
        const unitPrice = 990 + ((i + n) % 5) * 1000;
        order.total += unitPrice;
        order.taxTotal += Math.round((unitPrice * 19) / 119);
        tx.create(OrderItem, {
          merchant,
          order,
          externalId: `${order.externalId}-${n + 1}`,
          sku: product.sku,
          title: product.name,
          quantity: 1,
          unitPrice,
          tax: Math.round((unitPrice * 19) / 119),
          product,
        });
      });
      tx.create(OrderEvent, {
        merchant,
        order,
        type: 'imported',
        toStatus: status,
        source: 'sync',
        actor: 'demo-seed',
        createdAt: placedAt,
      });
    }
    await tx.flush();
    const { secret } = await services.apiKeys.create(tx, merchant.id, 'Demo key', MERCHANT_SCOPES);
    return { merchantId: merchant.id, apiKey: secret, orders: DEMO_ORDER_COUNT };
  });
}

export async function hasAnyMerchant(em: EntityManager): Promise<boolean> {
  return (await em.count(Merchant, {})) > 0;
}
