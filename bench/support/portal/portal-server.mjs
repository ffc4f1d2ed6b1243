// The built portal (packages/portal/build) as a child process on 127.0.0.1, built first when missing.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../free-port.mjs';
import { repoRoot } from '../paths.mjs';

export const portalEntry = join(repoRoot, 'packages', 'portal', 'build', 'index.js');

/** `pnpm --filter @handoff/portal build` when there is no build yet (a stale build is used as it is). */
export async function ensurePortalBuild(log) {
  if (existsSync(portalEntry)) return;
  log('building the portal (packages/portal/build is missing)');
  const code = await new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['--filter', '@handoff/portal', 'build'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !existsSync(portalEntry)) throw new Error(`building the portal failed (exit ${code})`);
}

/**
 * @param {{ apiUrl: string, token: string }} options
 * @returns {Promise<{ url: string, pid: number, stop: () => Promise<void> }>}
 */
export async function startPortal({ apiUrl, token }) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [portalEntry], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: url,
      HANDOFF_API_URL: `${apiUrl}/graphql`,
      HANDOFF_PORTAL_TOKEN: token,
    },
    stdio: ['ignore', 2, 2],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the portal exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the portal did not become healthy within 20 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, pid: /** @type {number} */ (child.pid), stop };
}
