import 'reflect-metadata';
import { systemClock, type Clock } from '../clock.js';
import { loadConfig, type Config } from '../config.js';
import { migrate, openOrm, type Orm } from '../db/orm.js';
import { JobQueue } from '../jobs/queue.js';
import { QUEUES } from '../jobs/queues.js';
import { createLogger, type Logger } from '../logger.js';
import { Keyring } from '../security/keyring.js';
import { resolveMasterSecret } from '../security/master-secret.js';
import { createServices, type Services } from '../services.js';
import { resolveDatabase, type ResolvedDatabase } from './database.js';

/** What every entry point (api, worker, cli) starts from. */
export interface Runtime {
  config: Config;
  log: Logger;
  clock: Clock;
  keyring: Keyring;
  database: ResolvedDatabase;
  orm: Orm;
  services: Services;
  close(): Promise<void>;
}

/** `supervise`: run pg-boss maintenance here (workers do; the API and CLI only enqueue). */
export async function createRuntime(
  name: string,
  options: { migrate?: boolean; supervise?: boolean } = {},
): Promise<Runtime> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, name, name === 'cli' ? 2 : 1);
  const keyring = new Keyring(resolveMasterSecret(config, log));
  const database = await resolveDatabase(config, log);
  const orm = await openOrm(database.url);
  if (options.migrate) {
    const ran = await migrate(orm);
    if (ran.length) log.info({ migrations: ran }, 'applied migrations');
  }
  const clock = systemClock;
  const queue = await JobQueue.connect(database.url, log, QUEUES, {
    supervise: options.supervise ?? false,
    maintenanceIntervalSeconds: config.JOB_MAINTENANCE_INTERVAL_SECONDS,
    leaseSeconds: config.WORKER_LEASE_SECONDS,
  });
  const services = createServices({ clock, keyring, queue, log, config });
  return {
    config,
    log,
    clock,
    keyring,
    database,
    orm,
    services,
    async close() {
      await queue.stop();
      await services.templateRenderer.close();
      await orm.close();
      await database.stop();
    },
  };
}

/** Runs `stop` once on SIGTERM/SIGINT/SIGHUP, then exits. */
export function onShutdown(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    stop()
      .then(() => process.exit(0))
      .catch((error) => {
        log.error({ err: error }, 'unclean shutdown');
        process.exit(1);
      });
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => handler(signal));
}
