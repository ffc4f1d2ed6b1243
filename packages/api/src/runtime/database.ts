import { resolve } from 'node:path';
import type { Config } from '../config.js';
import { withAdminClient } from '../db/admin.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import type { Logger } from '../logger.js';
import { assertPortsFree } from './ports.js';

export interface ResolvedDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server when this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when given; otherwise the embedded PostgreSQL under DATA_DIR/pg: reused when
 * another Handoff process already runs it, started otherwise.
 */
export async function resolveDatabase(config: Config, log: Logger): Promise<ResolvedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => {} };
  const url = embeddedUrl(config);
  if (await reachable(url)) return { url, embedded: true, stop: async () => {} };
  await assertPortsFree([{ setting: 'EMBEDDED_PG_PORT', port: config.EMBEDDED_PG_PORT }]);
  const dataDir = resolve(config.DATA_DIR, 'pg');
  log.info({ dataDir, port: config.EMBEDDED_PG_PORT }, 'no DATABASE_URL: starting the embedded PostgreSQL');
  const db = await startEmbeddedPostgres({ dataDir, port: config.EMBEDDED_PG_PORT, persistent: true });
  return { url: db.url, embedded: true, stop: db.stop };
}

export function embeddedUrl(config: Config): string {
  return `postgres://postgres:handoff@127.0.0.1:${config.EMBEDDED_PG_PORT}/handoff`;
}

/** True when another Handoff process already runs the embedded server. */
export function embeddedRunning(config: Config): Promise<boolean> {
  return reachable(embeddedUrl(config));
}

async function reachable(url: string): Promise<boolean> {
  try {
    await withAdminClient(url, (c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}
