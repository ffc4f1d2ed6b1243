// The real Handoff API app in this (child) process, assembled like packages/api/src/testing/test-api.ts,
// and the one seed the download and portal benchmarks share: a paid order of a digital product whose
// files sit in a local storage folder, with its grants.
import 'reflect-metadata';
import { realpath } from 'node:fs/promises';
import { openServices } from './handoff-services.mjs';
import { apiDist } from './paths.mjs';

const [
  { createHttpApp },
  { systemClock },
  { Merchant },
  { StorageConnection },
  { StorageRootAssignment },
  { Product },
  { ProductFile },
  { ChannelConnection },
  { Order },
  { OrderItem },
] = await Promise.all(
  [
    'http/app',
    'clock',
    'merchants/merchant.entity',
    'storage/storage-connection.entity',
    'storage/storage-root-assignment.entity',
    'catalog/product.entity',
    'catalog/product-file.entity',
    'channels/channel-connection.entity',
    'orders/order.entity',
    'orders/order-item.entity',
  ].map(apiDist),
);

/**
 * Starts the HTTP app on a random loopback port. `env` adds configuration; `ormOverrides` goes to
 * openOrm (e.g. an onQuery hook for statement counting).
 * @param {string} databaseUrl
 * @param {{ env?: Record<string, string>, ormOverrides?: object }} [options]
 */
export async function startHandoffApp(databaseUrl, { env = {}, ormOverrides } = {}) {
  const handoff = await openServices(databaseUrl, { env, ormOverrides });
  const { orm, services, config, keyring, log } = handoff;
  try {
    const { server, apollo } = await createHttpApp({ orm, services, clock: systemClock }, config, log);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const close = async () => {
      try {
        await apollo.stop(); // the drain plugin closes the HTTP server
      } finally {
        await handoff.close();
      }
    };
    return { url: `http://127.0.0.1:${server.address().port}`, orm, services, config, keyring, close };
  } catch (error) {
    await handoff.close(1000);
    throw error;
  }
}

/**
 * A merchant with a local storage folder `root`, one digital product linking `files`
 * ({ ref, displayName, size?, contentType? }), a paid order of it, and its grants.
 */
export async function seedDigitalOrder(app, { root, files, merchantName = 'Bench shop' }) {
  const em = app.orm.em.fork();
  const merchant = em.create(Merchant, { name: merchantName });
  const storage = em.create(StorageConnection, { merchant, kind: 'local', name: 'Local', options: { root } });
  // The operator's assignment of `root` to this merchant (allow-storage-root), so the folder serves.
  em.create(StorageRootAssignment, { merchant, path: await realpath(root) });
  const product = em.create(Product, { merchant, sku: 'BENCH', name: 'Bench product', digital: true });
  files.forEach((file, i) => em.create(ProductFile, { merchant, product, storage, position: i + 1, ...file }));
  const connection = em.create(ChannelConnection, { merchant, kind: 'generic', name: 'Bench' });
  const now = new Date();
  const order = em.create(Order, {
    merchant,
    connection,
    externalId: 'bench',
    number: '1001',
    status: 'paid',
    currency: 'EUR',
    placedAt: now,
    channelUpdatedAt: now,
    buyerEmail: 'buyer@bench.test',
    buyerLanguage: 'en',
  });
  em.create(OrderItem, { merchant, order, externalId: '1', title: 'Bench product', product, unitPrice: 4900 });
  await em.flush();
  const { grants } = await app.services.grants.grantDownloads(em, order.id, { merchantId: merchant.id, name: 'bench' });
  if (grants.length !== files.length) throw new Error(`expected ${files.length} grants, got ${grants.length}`);
  return { em, merchantId: merchant.id, orderId: order.id, grants };
}
