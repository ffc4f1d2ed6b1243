import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../packages/api/src/config.js';
import { repoRoot } from '../support/processes.js';

/** Tests wrote their `.eml` files (and more) into the developer's ./data, beside the demo's. */
describe('the test run keeps its files out of ./data', () => {
  const dataDir = resolve(loadConfig().DATA_DIR);

  it('gives every test process a DATA_DIR in a temporary folder of the run', () => {
    expect(realpathSync(resolve(dataDir, '..')).startsWith(realpathSync(tmpdir()))).toBe(true);
    expect(dataDir).not.toBe(resolve(repoRoot, 'data'));
    expect(resolve(loadConfig().DATA_DIR, 'outbox').startsWith(dataDir)).toBe(true);
  });

  it('hands the same DATA_DIR to the processes tests start', () => {
    const child = execFileSync(process.execPath, ['-e', 'process.stdout.write(process.env.DATA_DIR ?? "")'], {
      encoding: 'utf8',
    });
    expect(resolve(child)).toBe(dataDir);
  });
});
