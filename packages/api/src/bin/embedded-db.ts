import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { runMain } from './run-main.js';

/** How long open sessions may take to end before the server disconnects them. */
const SHUTDOWN_GRACE_MS = 15_000;

/**
 * Runs the embedded PostgreSQL as its own process, so `pnpm start` can stop it last, after the
 * api and worker have finished their in-flight work. Reports its URL to the parent over IPC.
 */
runMain(async () => {
  const config = loadConfig();
  const db = await startEmbeddedPostgres({
    dataDir: resolve(config.DATA_DIR, 'pg'),
    port: config.EMBEDDED_PG_PORT,
    persistent: true,
  });
  // The start process stops us last; when it died instead (exit-with-parent sends SIGTERM), the
  // smart shutdown lets the api and worker, which stop too, close their sessions first.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    db.stop(SHUTDOWN_GRACE_MS).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('stopping the embedded PostgreSQL failed:', error);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stop);
  process.send?.({ url: db.url });
});
