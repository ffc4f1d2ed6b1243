// The hub as the worker process runs it, in this process: ORM, pg-boss queue, real services with the
// default transport pointed at the local SMTP server, and the real job handlers (registerJobs).
import 'reflect-metadata';
import { apiDist } from '../paths.mjs';

const [
  { openOrm },
  { JobQueue },
  { QUEUES },
  { createLogger },
  { Keyring },
  { createServices },
  { systemClock },
  { loadConfig },
  { registerJobs },
  { ChannelConnection },
  { Product },
] = await Promise.all(
  [
    'db/orm',
    'jobs/queue',
    'jobs/queues',
    'logger',
    'security/keyring',
    'services',
    'clock',
    'config',
    'jobs/register-jobs',
    'channels/channel-connection.entity',
    'catalog/product.entity',
  ].map(apiDist),
);

/**
 * @param {string} databaseUrl
 * @param {{ smtpPort: number, concurrency: number }} options
 */
export async function openNotifyHub(databaseUrl, options) {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    HANDOFF_SECRET: 'bench-secret-bench-secret-bench-secret!',
    SMTP_URL: `smtp://127.0.0.1:${options.smtpPort}`,
    NOTIFY_CONCURRENCY: String(options.concurrency),
    PORTAL_URL: 'http://portal.bench',
  });
  const log = createLogger('silent', 'bench-notify');
  const orm = await openOrm(databaseUrl, { poolMax: 20 });
  const queue = await JobQueue.connect(databaseUrl, log, QUEUES, { supervise: false });
  const services = createServices({
    clock: systemClock,
    keyring: new Keyring(config.HANDOFF_SECRET),
    queue,
    log,
    config,
  });
  const workers = await registerJobs({ log, orm, clock: systemClock, services });

  const em = orm.em.fork();
  const merchant = await services.merchants.create(em, { name: 'Bench Shop', contactEmail: 'support@shop.bench' });
  const connection = em.create(ChannelConnection, { merchant, kind: 'generic', name: 'Bench shop' });
  em.create(Product, { merchant, sku: 'EBOOK', name: 'E-book', digital: true });
  await em.flush();

  return {
    orm,
    services,
    merchantId: merchant.id,
    connectionId: connection.id,
    async close() {
      workers.stop();
      try {
        await queue.stop(5000);
        await services.mailTransports.close();
      } finally {
        await orm.close();
      }
    },
  };
}
