import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PORTAL_ENTRY = fileURLToPath(new URL('../../packages/portal/build/index.js', import.meta.url));

export interface RunningPortal {
  url: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Builds the portal when no build exists (a clean clone); an existing build is used as it is. */
export async function ensurePortalBuilt(): Promise<void> {
  if (existsSync(PORTAL_ENTRY)) return;
  const { code, output } = await run('pnpm', ['--filter', '@handoff/portal', 'build'], ROOT);
  if (code !== 0 || !existsSync(PORTAL_ENTRY)) {
    throw new Error(`Building the portal failed (exit ${code}):\n${output.slice(-4000)}`);
  }
}

/** Starts `node packages/portal/build/index.js` on a free port of 127.0.0.1 and waits for /healthz. */
export async function startBuiltPortal(env: Record<string, string> = {}): Promise<RunningPortal> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [PORTAL_ENTRY], {
    cwd: ROOT,
    // ORIGIN: adapter-node otherwise assumes https, and Kit's CSRF check refuses our form posts.
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const portal: RunningPortal = { url, output: () => output, stop: () => stop(child) };
  try {
    await waitForHealthy(url, child, () => output);
  } catch (error) {
    await portal.stop();
    throw error;
  }
  return portal;
}

async function waitForHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The portal exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The portal did not become healthy at ${url} within 20 s:\n${output()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
