// Handoff's services in this process, assembled like packages/api/src/testing/test-api.ts: config,
// ORM, pg-boss queue (jobs are enqueued, no workers here) and createServices. The HTTP app, the
// notify hub and the import hub start from this.
import 'reflect-metadata';
import { apiDist } from './paths.mjs';

const [
  { loadConfig },
  { openOrm },
  { createLogger },
  { Keyring },
  { createServices },
  { systemClock },
  { JobQueue },
  { QUEUES },
] = await Promise.all(
  ['config', 'db/orm', 'logger', 'security/keyring', 'services', 'clock', 'jobs/queue', 'jobs/queues'].map(apiDist),
);

/** The environment every benchmark's Handoff runs with (plus its own settings). */
export const BENCH_ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  HANDOFF_SECRET: 'bench-secret-bench-secret-bench-secret!',
};

/** The keyring of that secret: what a benchmark seals credentials with before Handoff reads them. */
export const benchKeyring = new Keyring(BENCH_ENV.HANDOFF_SECRET);

/**
 * @param {string} databaseUrl
 * @param {{ env?: Record<string, string>, ormOverrides?: object, connectorOverrides?: object }} [options]
 *   `env` adds configuration; `ormOverrides` goes to openOrm (a query hook, the pool size);
 *   `connectorOverrides` to createServices (a metered fetch).
 */
export async function openServices(databaseUrl, { env = {}, ormOverrides, connectorOverrides } = {}) {
  const config = loadConfig({ ...BENCH_ENV, ...env });
  const keyring =
    config.HANDOFF_SECRET === BENCH_ENV.HANDOFF_SECRET ? benchKeyring : new Keyring(config.HANDOFF_SECRET);
  const log = createLogger('silent', 'bench');
  const orm = await openOrm(databaseUrl, ormOverrides);
  let queue;
  try {
    queue = await JobQueue.connect(databaseUrl, log, QUEUES, { supervise: false });
  } catch (error) {
    await orm.close();
    throw error;
  }
  const services = createServices({ clock: systemClock, keyring, queue, log, config, connectorOverrides });
  return {
    config,
    keyring,
    log,
    orm,
    services,
    /** Stops the queue (waiting up to `queueMs` for its jobs), then the ORM. */
    async close(queueMs = 2000) {
      try {
        await queue.stop(queueMs);
      } finally {
        await orm.close();
      }
    },
  };
}
