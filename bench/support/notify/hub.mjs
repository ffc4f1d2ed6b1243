// The hub of the notify bench: this process imports orders as the API or a sync does (ORM, pg-boss
// queue, real services); a separate worker process (worker.mjs) runs every job, with the default
// transport pointed at the local SMTP server.
import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { startChildServer } from '../child-server.mjs';
import { BENCH_ENV, openServices } from '../handoff-services.mjs';
import { apiDist } from '../paths.mjs';

const [{ ChannelConnection }, { Product }, { ProductFile }, { StorageConnection }] = await Promise.all(
  [
    'channels/channel-connection.entity',
    'catalog/product.entity',
    'catalog/product-file.entity',
    'storage/storage-connection.entity',
  ].map(apiDist),
);

/**
 * @param {string} databaseUrl
 * @param {{ smtpPort: number, concurrency: number, workers?: number, workerExecArgv?: string[] }} options
 */
export async function openNotifyHub(databaseUrl, options) {
  const settings = {
    DATABASE_URL: databaseUrl,
    SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
    NOTIFY_CONCURRENCY: String(options.concurrency),
    PORTAL_URL: 'http://portal.bench',
  };
  const handoff = await openServices(databaseUrl, { env: settings, ormOverrides: { poolMax: 20 } });
  const { orm, services } = handoff;
  const workers = await Promise.all(
    Array.from({ length: options.workers ?? 1 }, () =>
      startChildServer(fileURLToPath(new URL('./worker.mjs', import.meta.url)), {
        env: { ...BENCH_ENV, ...settings },
        execArgv: options.workerExecArgv ?? [],
      }),
    ),
  );

  const em = orm.em.fork();
  const merchant = await services.merchants.create(em, { name: 'Bench Shop', contactEmail: 'support@shop.bench' });
  const connection = em.create(ChannelConnection, { merchant, kind: 'generic', name: 'Bench shop' });
  const product = em.create(Product, { merchant, sku: 'EBOOK', name: 'E-book', digital: true });
  // A file, so every email lists the download its rule run granted.
  const storage = em.create(StorageConnection, {
    merchant,
    kind: 'local',
    name: 'Files',
    options: { root: '/srv/bench' },
  });
  em.create(ProductFile, { merchant, product, storage, ref: 'ebook.pdf', displayName: 'E-book.pdf' });
  await em.flush();

  return {
    orm,
    services,
    merchantId: merchant.id,
    connectionId: connection.id,
    workerPids: workers.map((w) => w.pid),
    async close() {
      try {
        await Promise.all(workers.map((w) => w.stop()));
      } finally {
        await handoff.close(5000);
      }
    },
  };
}
