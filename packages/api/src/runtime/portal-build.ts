import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const portalDir = fileURLToPath(new URL('../../../portal/', import.meta.url));
const sharedDir = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const portalEntry = join(portalDir, 'build/index.js');

/** What the portal build is made from: its own sources and configuration, and @handoff/shared. */
const INPUTS = [
  join(portalDir, 'src'),
  join(portalDir, 'static'),
  join(portalDir, 'svelte.config.js'),
  join(portalDir, 'vite.config.ts'),
  join(portalDir, 'package.json'),
  join(sharedDir, 'src'),
];

/**
 * Builds the portal (vite) only when its build is missing or older than an input, so a
 * `pnpm start` with nothing changed starts at once. Null when the portal package is absent.
 */
export async function ensurePortalBuild(onBuild: () => void): Promise<string | null> {
  if (!existsSync(join(portalDir, 'package.json'))) return null;
  if (existsSync(portalEntry) && (await newestMtime(INPUTS)) <= (await stat(portalEntry)).mtimeMs) {
    return portalEntry;
  }
  onBuild();
  const vite = join(
    dirname(createRequire(join(portalDir, 'package.json')).resolve('vite/package.json')),
    'bin/vite.js',
  );
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: portalDir, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`Building the portal failed (vite exited with ${code})`);
  return portalEntry;
}

async function newestMtime(paths: string[]): Promise<number> {
  let newest = 0;
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) continue;
    newest = Math.max(newest, info.mtimeMs);
    if (info.isDirectory()) {
      const entries = await readdir(path);
      newest = Math.max(newest, await newestMtime(entries.map((e) => join(path, e))));
    }
  }
  return newest;
}
