import type { EntityManager } from '@mikro-orm/postgresql';
import { MERCHANT_SCOPES, type NormalizedOrder } from '@handoff/shared';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import type { Clock } from '../clock.js';
import { systemContext } from '../graphql/system-context.js';
import type { Logger } from '../logger.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from '../orders/order.entity.js';
import type { Services } from '../services.js';
import { DEMO_BUYERS, DEMO_PRODUCTS, DEMO_STATUSES } from './demo-catalog.js';
import { DEMO_FILES, demoFilesFolder, writeDemoFiles } from './demo-files.js';

export interface DemoSeed {
  merchantId: string;
  apiKey: string;
  orders: number;
  /** Portal links of the paid demo orders, one per buyer language. */
  portalUrls: string[];
  /** The same links with their order number and buyer language (for the welcome message). */
  portalLinks?: { order: string; language: string; url: string }[];
}

export interface DemoDeps {
  services: Services;
  clock: Clock;
  log: Logger;
}

const DEMO_ORDER_COUNT = 24;

/**
 * A demo merchant set up the way a real one would be, through the same services: a local storage
 * folder (in its own `<storage root>/<merchant id>` folder) with files linked to digital products, a push channel, and orders in every status imported
 * through the hub, so the worker's rules grant downloads and write the emails to the outbox.
 * Idempotent: run again, it returns the same merchant (with a new API key) and changes nothing else.
 */
export async function seedDemo(em: EntityManager, deps: DemoDeps, storageRoot: string): Promise<DemoSeed> {
  const { services, clock } = deps;
  const { merchant, created } = await findOrCreateDemoMerchant(em, services);
  if (!created) {
    // Seeded before: the same merchant; its old key is stored hashed, so a new one is shown.
    const { secret } = await services.apiKeys.create(em, merchant.id, 'Demo key', MERCHANT_SCOPES);
    return {
      merchantId: merchant.id,
      apiKey: secret,
      orders: await em.count(Order, { merchant: merchant.id }),
      ...(await demoPortalLinks(em, deps, merchant.id)),
    };
  }
  const ctx = systemContext(em, deps, merchant.id, 'demo-seed');

  const filesRoot = demoFilesFolder(storageRoot, merchant.id);
  await writeDemoFiles(filesRoot);
  const storage = await services.storage.connectLocal(ctx, { name: 'Demo files', root: filesRoot });
  for (const spec of DEMO_PRODUCTS) {
    const product = await services.products.create(ctx, { ...spec });
    const files = DEMO_FILES[spec.sku];
    if (files)
      await services.productFiles.link(ctx, {
        productId: product.id,
        storageConnectionId: storage.id,
        refs: files.map((f) => f.name),
      });
  }

  const connection = em.create(ChannelConnection, {
    merchant: em.getReference(Merchant, merchant.id),
    kind: 'generic',
    name: 'Demo shop (push API)',
  });
  await em.flush();
  const orders = demoOrders(clock.now());
  await em.fork().transactional((tx) =>
    services.importer.importBatch(tx, { connectionId: connection.id, merchantId: merchant.id }, orders, {
      source: 'api',
      actor: 'demo-seed',
    }),
  );
  const { secret } = await services.apiKeys.create(em, merchant.id, 'Demo key', MERCHANT_SCOPES);
  return {
    merchantId: merchant.id,
    apiKey: secret,
    orders: orders.length,
    ...(await demoPortalLinks(em, deps, merchant.id)),
  };
}

const DEMO_MERCHANT = { name: 'Demo Digital Store', contactEmail: 'support@demo-store.example' };

/** The demo merchant, created once: concurrent seeds wait for each other on an advisory lock. */
async function findOrCreateDemoMerchant(
  em: EntityManager,
  services: Services,
): Promise<{ merchant: Merchant; created: boolean }> {
  return em.fork().transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('handoff:seed-demo'))`);
    const found = await tx.findOne(Merchant, DEMO_MERCHANT, { orderBy: { createdAt: 'asc' } });
    if (found) return { merchant: found, created: false };
    return { merchant: await services.merchants.create(tx, DEMO_MERCHANT), created: true };
  });
}

/** One paid order per buyer language: the links a person opens to see the portal in each language. */
async function demoPortalLinks(
  em: EntityManager,
  deps: DemoDeps,
  merchantId: string,
): Promise<Pick<DemoSeed, 'portalUrls' | 'portalLinks'>> {
  const orders = await em.find(
    Order,
    { merchant: merchantId, status: { $in: ['paid', 'completed', 'shipped'] } },
    { orderBy: { placedAt: 'desc' } },
  );
  const byLanguage = new Map(orders.map((o) => [o.buyerLanguage, o]));
  const links: NonNullable<DemoSeed['portalLinks']> = [];
  for (const order of byLanguage.values()) {
    const { url } = await deps.services.portalCodes.ensurePortalCode(em, { id: order.id, merchantId });
    links.push({ order: order.number, language: order.buyerLanguage ?? '', url });
  }
  return { portalUrls: links.map((l) => l.url), portalLinks: links };
}

function demoOrders(now: Date): NormalizedOrder[] {
  return Array.from({ length: DEMO_ORDER_COUNT }, (_, i) => {
    const buyer = DEMO_BUYERS[i % DEMO_BUYERS.length]!;
    const status = DEMO_STATUSES[i % DEMO_STATUSES.length]!;
    const placedAt = new Date(now.getTime() - (DEMO_ORDER_COUNT - i) * 6 * 3_600_000);
    const products = [
      DEMO_PRODUCTS[i % DEMO_PRODUCTS.length]!,
      ...(i % 3 === 0 ? [DEMO_PRODUCTS[(i + 1) % DEMO_PRODUCTS.length]!] : []),
    ];
    const items = products.map((product, n) => {
      const unitPrice = 990 + ((i + n) % 5) * 1000;
      return {
        externalId: `demo-${1001 + i}-${n + 1}`,
        sku: product.sku,
        title: product.name,
        quantity: 1,
        unitPrice,
        tax: Math.round((unitPrice * 19) / 119),
        refundedQuantity: 0,
        cancelled: false,
      };
    });
    return {
      externalId: `demo-${1001 + i}`,
      number: `#${1001 + i}`,
      status,
      channelStatus: status,
      buyer: { email: buyer.email, name: buyer.name, language: buyer.language, country: buyer.country },
      currency: 'EUR',
      total: items.reduce((sum, item) => sum + item.unitPrice, 0),
      taxTotal: items.reduce((sum, item) => sum + item.tax, 0),
      items,
      createdAt: placedAt,
      updatedAt: placedAt,
      paidAt: status === 'pending' ? null : placedAt,
      tags: ['demo'],
      raw: { demo: true },
    };
  });
}

export async function hasAnyMerchant(em: EntityManager): Promise<boolean> {
  return (await em.count(Merchant, {})) > 0;
}
