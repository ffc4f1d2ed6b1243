import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { databaseUrlFor, quoteDatabaseName, withAdminClient } from '../../packages/api/src/db/admin.js';
import { startEmbeddedPostgres } from '../../packages/api/src/db/embedded-postgres.js';
import { migrate, openOrm } from '../../packages/api/src/db/orm.js';

declare module 'vitest' {
  export interface ProvidedContext {
    database: { serverUrl: string; template: string; prefix: string };
  }
}

/**
 * One database server for the run: DATABASE_URL when set (CI uses the machine's PostgreSQL),
 * otherwise a real PostgreSQL started from npm. The schema comes from the checked-in migrations,
 * applied once to a template that every test file clones.
 *
 * DATA_DIR points at a folder of this run, so no test (nor any process a test starts: they
 * inherit the environment) writes into the developer's ./data (outbox, secret, files).
 */
export default async function setup(project: TestProject) {
  const tempDir = await mkdtemp(join(tmpdir(), 'handoff-test-'));
  process.env.DATA_DIR = join(tempDir, 'data');
  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const db = await startEmbeddedPostgres({ dataDir: join(tempDir, 'pg'), port, persistent: false });
    serverUrl = db.url;
    stopEmbedded = db.stop;
  }
  try {
    await withAdminClient(serverUrl, (c) => c.query('SELECT 1'));
  } catch (error) {
    throw new Error(`The test database server at ${redact(serverUrl)} is unreachable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const template = `handoff_tpl_${process.pid}`;
  await withAdminClient(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${quoteDatabaseName(template)}`);
    await c.query(`CREATE DATABASE ${quoteDatabaseName(template)}`);
  });
  const orm = await openOrm(databaseUrlFor(serverUrl, template));
  await migrate(orm);
  await orm.close();
  const prefix = `handoff_t${process.pid}_`;
  project.provide('database', { serverUrl, template, prefix });

  return async () => {
    await withAdminClient(serverUrl!, async (c) => {
      const { rows } = await c.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR datname = $2',
        [prefix, template],
      );
      for (const { datname } of rows)
        await c.query(`DROP DATABASE IF EXISTS ${quoteDatabaseName(datname)} WITH (FORCE)`);
    });
    await stopEmbedded?.();
    await rm(tempDir, { recursive: true, force: true });
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
