// Child process: the real Handoff API app (assembled like packages/api/src/testing/test-api.ts) on the
// database named by BENCH_DATABASE_URL, with one merchant and one paid order of a product with
// BENCH_FILES files (one grant each) in local storage under BENCH_ROOT. Reports the API's URL, the
// order's portal code and the portal service token.
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveAsChild } from '../child-server.mjs';
import { apiDist } from '../paths.mjs';

const [
  { loadConfig },
  { openOrm },
  { createHttpApp },
  { createLogger },
  { Keyring },
  { createServices },
  { systemClock },
  { portalServiceToken },
  { Merchant },
  { StorageConnection },
  { Product },
  { ProductFile },
  { ChannelConnection },
  { Order },
  { OrderItem },
] = await Promise.all(
  [
    'config',
    'db/orm',
    'http/app',
    'logger',
    'security/keyring',
    'services',
    'clock',
    'portal/portal-auth',
    'merchants/merchant.entity',
    'storage/storage-connection.entity',
    'catalog/product.entity',
    'catalog/product-file.entity',
    'channels/channel-connection.entity',
    'orders/order.entity',
    'orders/order-item.entity',
  ].map(apiDist),
);

serveAsChild(async () => {
  const root = process.env.BENCH_ROOT;
  const count = Number(process.env.BENCH_FILES ?? 20);
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HANDOFF_SECRET: 'bench-secret-bench-secret-bench-secret!',
    HANDOFF_STORAGE_ROOTS: root,
    PORTAL_URL: process.env.BENCH_PORTAL_URL ?? 'http://127.0.0.1:3000',
  });
  const keyring = new Keyring(config.HANDOFF_SECRET);
  const log = createLogger('silent', 'bench-api');
  const orm = await openOrm(process.env.BENCH_DATABASE_URL);
  const services = createServices({ clock: systemClock, keyring, log, config });
  const { server, apollo } = await createHttpApp({ orm, services, clock: systemClock }, config, log);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  const em = orm.em.fork();
  const merchant = em.create(Merchant, { name: 'Bench portal shop' });
  const storage = em.create(StorageConnection, { merchant, kind: 'local', name: 'Local', options: { root } });
  const product = em.create(Product, { merchant, sku: 'BUNDLE', name: 'Bundle of files', digital: true });
  for (let i = 1; i <= count; i++) {
    const name = `chapter-${String(i).padStart(2, '0')}.pdf`;
    const content = `chapter ${i}\n`.repeat(100 * i);
    await writeFile(join(root, name), content);
    em.create(ProductFile, {
      merchant,
      product,
      storage,
      ref: name,
      displayName: `Chapter ${i} (PDF)`,
      size: Buffer.byteLength(content),
      contentType: 'application/pdf',
      position: i,
    });
  }
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
  em.create(OrderItem, { merchant, order, externalId: '1', title: 'Bundle of files', product, unitPrice: 4900 });
  await em.flush();
  const { grants } = await services.grants.grantDownloads(em, order.id, { merchantId: merchant.id, name: 'bench' });
  if (grants.length !== count) throw new Error(`expected ${count} grants, got ${grants.length}`);
  const link = await services.portalCodes.ensurePortalCode(em, { id: order.id, merchantId: merchant.id });
  return {
    info: {
      url: `http://127.0.0.1:${server.address().port}`,
      code: link.code,
      token: portalServiceToken(config, keyring),
    },
    close: async () => {
      try {
        await apollo.stop();
      } finally {
        await orm.close();
      }
    },
  };
});
