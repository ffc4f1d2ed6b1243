import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, repoRoot } from '../support/processes.js';

const VITEST = join(repoRoot, 'node_modules/vitest/vitest.mjs');
const FIXTURES = 'test/fixtures/failing-run/vitest.config.ts';

/**
 * `pnpm test` without DATABASE_URL (the embedded PostgreSQL) printed "1 failed" and exited 0:
 * the embedded database's exit hook called process.exit(0). Each run here is the project's real
 * test set-up on deliberately failing files, in embedded mode.
 */
describe('a failing test run in embedded mode', () => {
  it('exits non-zero when an assertion fails', async () => {
    const run = await vitest(['assertion']);
    expect(run.output).toContain('Tests: 0 passed, 1 failed');
    expect(run.code).toBe(1);
  }, 120_000);

  it('exits non-zero when a beforeAll, an import or the browser launch fails', async () => {
    const run = await vitest(['before-all', 'import-error', 'chromium']);
    expect(run.output).toMatch(/Tests: 0 passed, 3 failed/);
    expect(run.code).toBe(1);
  }, 120_000);
});

function vitest(filters: string[]): Promise<{ code: number | null; output: string }> {
  const env = cleanEnv({ CI: 'true', NO_COLOR: '1' });
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];
  const child = spawn(process.execPath, [VITEST, 'run', '-c', FIXTURES, ...filters], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Stopped before the test's own timeout, so a hanging run leaves no process behind.
    signal: AbortSignal.timeout(110_000),
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  child.on('error', () => {}); // the abort: `close` reports it with code null
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}
