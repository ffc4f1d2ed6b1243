import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../packages/api/src/testing/test-database.js';
import { cleanEnv, repoRoot } from '../support/processes.js';
import { openOrm } from '../../packages/api/src/db/orm.js';

const run = promisify(execFile);

type PgClient = {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<unknown>;
  end(): Promise<void>;
};

/** One statement on a database, with the API package's pg driver. */
async function sqlOn(url: string, sql: string, values: unknown[]): Promise<void> {
  const pg = createRequire(new URL('../../packages/api/package.json', import.meta.url))('pg') as {
    Client: new (options: { connectionString: string }) => PgClient;
  };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}

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

  it('seed-demo again keeps one demo merchant and prints the same one, with a new key', async () => {
    const seed = () =>
      cli(['seed-demo', '--json']).then((r) => JSON.parse(r.stdout) as { merchantId: string; apiKey: string });
    const first = await seed();
    const second = await seed();
    expect(second.merchantId).toBe(first.merchantId);
    expect(second.apiKey).not.toBe(first.apiKey);
    expect(await demoMerchants(db.url)).toEqual([first.merchantId]);
  }, 120_000);

  it('seed-demo twice at once on an empty database makes one demo merchant', async () => {
    const fresh = await createTestDatabase(inject('database'));
    try {
      const env = cleanEnv({ DATABASE_URL: fresh.url, HANDOFF_SECRET: 'cli-test-secret-cli-test-secret-000' });
      const seed = () =>
        run(process.execPath, ['packages/api/dist/bin/cli.js', 'seed-demo', '--json'], { cwd: repoRoot, env }).then(
          (r) => (JSON.parse(r.stdout) as { merchantId: string }).merchantId,
        );
      const [a, b] = await Promise.all([seed(), seed()]);
      expect(a).toBe(b);
      expect(await demoMerchants(fresh.url)).toEqual([a]);
    } finally {
      await fresh.drop();
    }
  }, 120_000);

  it('help exits 0; an unknown command or option says so and exits 2', async () => {
    for (const args of [['help'], ['--help'], ['create-merchant', '--help']]) {
      const { stdout } = await cli(args);
      expect(stdout).toContain('Usage: pnpm handoff <command>');
    }
    const unknown = await cli(['frobnicate']).catch((e) => e);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command: frobnicate');
    const badOption = await cli(['migrate', '--frob']).catch((e) => e);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("Unknown option '--frob'");
    expect(badOption.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }, 120_000);

  it('create-merchant refuses an address that is not an email, naming --email', async () => {
    const failure = await cli(['create-merchant', '--name', 'Typo Shop', '--email', 'support(at)typo', '--json']).catch(
      (e) => e,
    );
    expect(failure.code).toBe(1);
    expect(JSON.parse(failure.stderr.trim().split('\n').at(-1))).toEqual({
      error: { code: 'BAD_USER_INPUT', message: '--email: "support(at)typo" is not an email address' },
    });
    const human = await cli(['create-merchant', '--name', 'Typo Shop', '--email', 'nope']).catch((e) => e);
    expect(human.stderr).toContain('Error: --email: "nope" is not an email address');
    const ok = JSON.parse(
      (await cli(['create-merchant', '--name', 'Good Shop', '--email', ' help@good.example ', '--json'])).stdout,
    );
    expect(ok.name).toBe('Good Shop');
  }, 120_000);

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

  it('suspensions lists the instance-level suspensions (unknown portal codes) and lift-suspension ends one', async () => {
    const id = randomUUID();
    await sqlOn(
      db.url,
      `insert into suspension (id, merchant_id, ip, target, failures, window_started_at, last_failure_at, suspended_until, created_at)
       values ($1, null, '203.0.113.99', 'portal', 10, now(), now(), now() + interval '1 hour', now())`,
      [id],
    );
    type Listed = { suspensions: { id: string; ip: string; target: string; liftedAt: string | null }[] };
    const listed = JSON.parse((await cli(['suspensions', '--active', '--json'])).stdout) as Listed;
    expect(listed.suspensions).toContainEqual(expect.objectContaining({ id, ip: '203.0.113.99', target: 'portal' }));
    const lifted = JSON.parse((await cli(['lift-suspension', '--id', id, '--json'])).stdout) as { liftedAt: string };
    expect(lifted).toMatchObject({ id, suspendedUntil: null, liftedAt: expect.any(String) });
    const active = JSON.parse((await cli(['suspensions', '--active', '--json'])).stdout) as Listed;
    expect(active.suspensions.map((s) => s.id)).not.toContain(id);
    const unknown = await cli(['lift-suspension', '--id', randomUUID(), '--json']).catch((e) => e);
    expect(unknown.code).toBe(1);
  }, 120_000); // four CLI processes
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

async function demoMerchants(url: string): Promise<string[]> {
  const orm = await openOrm(url);
  try {
    const rows = await orm.em
      .getConnection()
      .execute<{ id: string }[]>(`select id from merchant where name = 'Demo Digital Store'`);
    return rows.map((r) => r.id);
  } finally {
    await orm.close();
  }
}
