// Benchmarks run the compiled packages: build them when the API's dist is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { apiDir, repoRoot } from './paths.mjs';

const MARKER = join(apiDir, 'dist', 'bin', 'api.js');

/** Runs `pnpm --filter @handoff/api build` (tsc -b: shared, connectors, api) unless dist exists. */
export function ensureBuilt(log) {
  if (existsSync(MARKER)) return;
  log('packages/api/dist is missing: pnpm --filter @handoff/api build');
  // Its output goes to stderr: stdout carries only the benchmarks' JSON lines.
  const result = spawnSync('pnpm', ['--filter', '@handoff/api', 'build'], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (result.error) throw result.error;
  if (result.status !== 0 || !existsSync(MARKER)) throw new Error(`the build failed (exit ${result.status})`);
}
