import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { runMain } from './run-main.js';

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
  process.send?.({ url: db.url });
  // embedded-postgres stops the server itself on SIGTERM/SIGINT (its exit hook).
});
