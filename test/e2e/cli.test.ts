import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../packages/api/src/testing/test-database.js';
import { cleanEnv, repoRoot } from '../support/processes.js';

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
  const cli = (args: string[]) =>
    run(process.execPath, ['packages/api/dist/bin/cli.js', ...args], {
      cwd: repoRoot,
      env: cleanEnv({ DATABASE_URL: db.url, HANDOFF_SECRET: 'cli-test-secret-cli-test-secret-000' }),
    });

  beforeAll(async () => {
    db = await createTestDatabase(inject('database'));
  });
  afterAll(() => db.drop());

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

  it('schema-diff reports nothing pending after migrate', async () => {
    await cli(['migrate']);
    expect(JSON.parse((await cli(['schema-diff', '--json'])).stdout)).toEqual({ diff: '' });
  });
});
