import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../packages/api/src/testing/test-database.js';
import { cleanEnv, repoRoot } from '../support/processes.js';

const run = promisify(execFile);

/** The operator CLI (`pnpm handoff …`) against a real database, as scripts use it (--json). */
describe('handoff CLI', () => {
  let db: TestDatabase;
  let storageRoot: string;
  const cli = (args: string[]) =>
    run(process.execPath, ['packages/api/dist/bin/cli.js', ...args], {
      cwd: repoRoot,
      env: cleanEnv({
        DATABASE_URL: db.url,
        HANDOFF_SECRET: 'cli-test-secret-cli-test-secret-000',
        HANDOFF_STORAGE_ROOTS: storageRoot,
      }),
    });

  beforeAll(async () => {
    db = await createTestDatabase(inject('database'));
    storageRoot = await realpath(await mkdtemp(join(tmpdir(), 'handoff-cli-')));
  });
  afterAll(async () => {
    await db.drop();
    await rm(storageRoot, { recursive: true, force: true });
  });

  it('seed-demo --json prints the key and GraphQL URL as one JSON object', async () => {
    const { stdout } = await cli(['seed-demo', '--json']);
    const result = JSON.parse(stdout) as {
      apiKey: string;
      graphqlUrl: string;
      merchantId: string;
      portalUrls: string[];
    };
    expect(result.apiKey).toMatch(/^hk_/);
    expect(result.graphqlUrl).toMatch(/\/graphql$/);
    // One paid demo order per buyer language (en, de, cs, zh-CN), each with its own portal link.
    expect(result.portalUrls).toHaveLength(4);
    for (const url of result.portalUrls) expect(url).toMatch(/\/p\/[A-Za-z0-9_-]{32}$/);
    // The demo files sit in the demo merchant's own folder, the only place it may read from.
    expect(existsSync(join(storageRoot, result.merchantId, 'demo', 'liner-notes.txt'))).toBe(true);
  });

  it('create-merchant and create-api-key with scopes', async () => {
    const merchant = JSON.parse((await cli(['create-merchant', '--name', 'CLI Shop', '--json'])).stdout) as {
      merchantId: string;
    };
    const key = JSON.parse(
      (await cli(['create-api-key', '--merchant', merchant.merchantId, '--scopes', 'orders:read', '--json'])).stdout,
    ) as {
      apiKey: string;
      scopes: string[];
    };
    expect(key.scopes).toEqual(['orders:read']);
  });

  it('reports bad input as a JSON error with exit code 1', async () => {
    const failure = await cli(['create-api-key', '--merchant', '00000000-0000-0000-0000-000000000000', '--json']).catch(
      (e) => e,
    );
    expect(failure.code).toBe(1);
    expect(JSON.parse(failure.stderr.trim().split('\n').at(-1))).toEqual({
      error: { code: 'NOT_FOUND', message: 'Merchant not found' },
    });
    const badScope = await cli(['create-merchant', '--json']).catch((e) => e);
    expect(badScope.code).toBe(1);
  });

  it('allow-storage-root --json assigns a folder to one merchant and refuses it to another', async () => {
    const create = async (name: string) =>
      (JSON.parse((await cli(['create-merchant', '--name', name, '--json'])).stdout) as { merchantId: string })
        .merchantId;
    const [first, second] = [await create('Folder Shop'), await create('Other Shop')];
    const folder = join(storageRoot, 'folder-shop');
    await mkdir(folder);
    const assigned = JSON.parse(
      (await cli(['allow-storage-root', '--merchant', first, '--path', `${folder}/`, '--json'])).stdout,
    ) as unknown;
    expect(assigned).toEqual({ merchantId: first, path: folder });
    const refused = await cli(['allow-storage-root', '--merchant', second, '--path', folder, '--json']).catch((e) => e);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr.trim().split('\n').at(-1)).error.code).toBe('CONFLICT');
  }, 120_000); // four CLI processes, each booting the runtime

  it('schema-diff reports nothing pending after migrate', async () => {
    await cli(['migrate']);
    expect(JSON.parse((await cli(['schema-diff', '--json'])).stdout)).toEqual({ diff: '' });
  });
});
