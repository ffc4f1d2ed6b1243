import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Azurite's published development account (the same for every install; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  /** Connection string with the shared key, so SAS URLs can be signed. */
  connectionString: string;
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  blobEndpoint: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Finds `node_modules/.bin/azurite-blob` by walking up from this file (the workspace root holds it),
 * so it works from any cwd. AZURITE_BLOB_BIN overrides.
 */
export function findAzuriteBinary(): string {
  const override = process.env.AZURITE_BLOB_BIN;
  if (override) return override;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', '.bin', 'azurite-blob');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(
    'azurite-blob not found in any node_modules/.bin above this file; run `pnpm install` at the repo root',
  );
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts Azurite's blob service on 127.0.0.1 with a free port chosen by the OS, data in memory,
 * telemetry off. Rejects (loudly) when the binary is missing or it does not come up in time.
 * SAS start/expiry times are validated by Azurite out of the box; no flag is needed for that.
 */
export async function startAzurite(options: { timeoutMs?: number } = {}): Promise<RunningAzurite> {
  const binary = findAzuriteBinary();
  // Azurite refuses --location with --inMemoryPersistence; a temp cwd keeps any stray file out of the repo.
  const location = await mkdtemp(join(tmpdir(), 'handoff-azurite-'));
  const child = spawn(
    binary,
    [
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--inMemoryPersistence',
      '--extentMemoryLimit',
      '256',
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
      '--silent',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: location },
  );
  let output = '';
  const cleanup = async () => {
    await stop(child);
    await rm(location, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Azurite did not start within ${options.timeoutMs ?? 20_000} ms:\n${output}`)),
        options.timeoutMs ?? 20_000,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listens on https?:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`Azurite failed to spawn (${binary}): ${error.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited with ${code} before listening:\n${output}`));
      });
    });
    for (let i = 0; !(await portAnswers(port)); i++) {
      if (i > 50) throw new Error(`Azurite said it listens on ${port} but the port does not answer`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
    return {
      port,
      blobEndpoint,
      connectionString:
        `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
        `BlobEndpoint=${blobEndpoint};`,
      close: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
