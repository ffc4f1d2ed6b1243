// Child process: the real Handoff API app (assembled like packages/api/src/testing/test-api.ts) on the
// database named by BENCH_DATABASE_URL, with one merchant whose local storage root is BENCH_ROOT and
// an order granting unlimited downloads of BENCH_FILE. Reports BENCH_TOKENS signed /d/ paths.
import 'reflect-metadata';
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
  { Merchant },
  { StorageConnection },
  { Product },
  { ProductFile },
  { ChannelConnection },
  { Order },
  { OrderItem },
  { DownloadGrant },
] = await Promise.all(
  [
    'config',
    'db/orm',
    'http/app',
    'logger',
    'security/keyring',
    'services',
    'clock',
    'merchants/merchant.entity',
    'storage/storage-connection.entity',
    'catalog/product.entity',
    'catalog/product-file.entity',
    'channels/channel-connection.entity',
    'orders/order.entity',
    'orders/order-item.entity',
    'downloads/download-grant.entity',
  ].map(apiDist),
);

serveAsChild(async () => {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HANDOFF_SECRET: 'bench-secret-bench-secret-bench-secret!',
    HANDOFF_STORAGE_ROOTS: process.env.BENCH_ROOT,
    DOWNLOAD_TOKEN_TTL_SECONDS: '3600',
  });
  const keyring = new Keyring(config.HANDOFF_SECRET);
  const log = createLogger('silent', 'bench-api');
  const orm = await openOrm(process.env.BENCH_DATABASE_URL);
  const services = createServices({ clock: systemClock, keyring, log, config });
  const { server, apollo } = await createHttpApp({ orm, services, clock: systemClock }, config, log);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

  const em = orm.em.fork();
  const merchant = em.create(Merchant, { name: 'Bench downloads' });
  const storage = em.create(StorageConnection, {
    merchant,
    kind: 'local',
    name: 'Local',
    options: { root: process.env.BENCH_ROOT },
  });
  const product = em.create(Product, { merchant, sku: 'BIG', name: 'Big file' });
  em.create(ProductFile, { merchant, product, storage, ref: process.env.BENCH_FILE, displayName: 'big file.bin' });
  const connection = em.create(ChannelConnection, { merchant, kind: 'generic', name: 'Bench' });
  const now = new Date();
  const order = em.create(Order, {
    merchant,
    connection,
    externalId: 'bench',
    number: '#bench',
    status: 'paid',
    currency: 'EUR',
    placedAt: now,
    channelUpdatedAt: now,
  });
  em.create(OrderItem, { merchant, order, externalId: '1', title: 'Big file', product });
  await em.flush();
  const { grants } = await services.grants.grantDownloads(em, order.id, { merchantId: merchant.id, name: 'bench' });
  await em.nativeUpdate(DownloadGrant, { id: grants[0].id }, { limit: null, expiresAt: null });
  const url = `http://127.0.0.1:${server.address().port}`;
  const paths = [];
  for (let i = 0; i < Number(process.env.BENCH_TOKENS ?? 4); i++) {
    const link = await services.downloads.mintLink(em, grants[0].id, { merchantId: merchant.id });
    paths.push(new URL(link.url).pathname);
  }
  return {
    info: { url, paths },
    close: async () => {
      try {
        await apollo.stop();
      } finally {
        await orm.close();
      }
    },
  };
});
