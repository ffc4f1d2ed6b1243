import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm } from '../../packages/api/src/db/orm.js';
import { hasAnyMerchant } from '../../packages/api/src/demo/seed-demo.js';
import { createTestDatabase, type TestDatabase } from '../../packages/api/src/testing/test-database.js';
import { cleanEnv, freePort, repoRoot, startProcess, type RunningProcess } from '../support/processes.js';

const run = promisify(execFile);
const SECRET = 'production-start-secret-0123456789abcdef';

/** Production seeded the demo (and printed its key) on an empty database, even the embedded one. */
describe('pnpm start in production', () => {
  let dataDir: string;
  let db: TestDatabase;
  let start: RunningProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'handoff-prod-'));
    db = await createTestDatabase(inject('database'));
  });

  afterAll(async () => {
    await start?.stop();
    await db?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses the embedded database in one line naming DATABASE_URL', async () => {
    const env = cleanEnv({ NODE_ENV: 'production', HANDOFF_SECRET: SECRET, DATA_DIR: dataDir });
    const failure = await run(process.execPath, ['packages/api/dist/bin/start.js'], { cwd: repoRoot, env }).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(
      /DATABASE_URL: required when NODE_ENV=production .*embedded PostgreSQL is for development/,
    );
    expect(failure?.stdout).not.toContain('Demo API key');
    expect(await readdir(dataDir)).toEqual([]); // no database, no secret, no demo files
  });

  it('starts on an empty database without seeding the demo or printing a key', async () => {
    const [port, portalPort] = await Promise.all([freePort(), freePort()]);
    start = startProcess(
      process.execPath,
      ['packages/api/dist/bin/start.js'],
      cleanEnv({
        NODE_ENV: 'production',
        HANDOFF_SECRET: SECRET,
        DATABASE_URL: db.url,
        DATA_DIR: dataDir,
        PORT: String(port),
        PORTAL_PORT: String(portalPort),
        LOG_LEVEL: 'warn',
      }),
    );
    await start.waitFor(/Handoff is running\./, 300_000);
    expect(start.output()).not.toMatch(/Demo API key|hk_/);
    const orm = await openOrm(db.url);
    try {
      expect(await hasAnyMerchant(orm.em.fork())).toBe(false);
    } finally {
      await orm.close();
    }
    expect(await start.stop()).toBe(0);
  }, 360_000);
});
