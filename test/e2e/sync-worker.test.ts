import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeShopify, type FakeShopify } from '@handoff/connectors/channels/shopify/testing/fake-shopify-server';
import { makeShopifyOrders } from '@handoff/connectors/channels/shopify/testing/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ChannelConnection } from '../../packages/api/src/channels/channel-connection.entity.js';
import { SYNC_QUEUE } from '../../packages/api/src/channels/sync.job.js';
import { openOrm, type Orm } from '../../packages/api/src/db/orm.js';
import { JobQueue } from '../../packages/api/src/jobs/queue.js';
import { QUEUES } from '../../packages/api/src/jobs/queues.js';
import { createLogger } from '../../packages/api/src/logger.js';
import { Merchant } from '../../packages/api/src/merchants/merchant.entity.js';
import { Keyring } from '../../packages/api/src/security/keyring.js';
import { createTestDatabase, type TestDatabase } from '../../packages/api/src/testing/test-database.js';
import { cleanEnv, startProcess, type RunningProcess } from '../support/processes.js';

const SECRET = 'sync-worker-e2e-secret-0123456789abcdef';

/** Forwards to the fake shop; after `passPages` GraphQL answers it holds requests, like a hung network. */
async function startGate(target: string, passPages: number) {
  let passed = 0;
  let holding = false;
  const held: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (holding || passed >= passPages) {
      holding = true;
      held.push(res);
      return;
    }
    passed += 1;
    const upstream = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode!, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    isHolding: () => held.length > 0,
    /** Requests passed on to the shop so far. */
    passed: () => passed,
    open() {
      passPages = Number.POSITIVE_INFINITY;
      holding = false;
      for (const res of held.splice(0)) res.destroy();
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The worker process importing 1,000 orders in 4 pages is killed (SIGKILL) in the middle of a run;
 * a new worker (default lease and maintenance settings) takes the expired job over within a minute
 * and finishes from the saved cursor: exactly 1,000 orders and one "paid" trigger each. A later
 * sync writes no order.
 */
describe('sync in a real worker process, killed mid-run', () => {
  let db: TestDatabase;
  let orm: Orm;
  let shop: FakeShopify;
  let gate: Awaited<ReturnType<typeof startGate>>;
  let queue: JobQueue;
  let connectionId: string;
  const workers: RunningProcess[] = [];
  const scalar = async (sql: string) =>
    Number((await orm.em.fork().getConnection().execute<{ n: number }[]>(sql))[0]!.n);
  const startWorker = () => {
    const worker = startProcess(
      process.execPath,
      ['packages/api/dist/bin/worker.js'],
      cleanEnv({
        DATABASE_URL: db.url,
        HANDOFF_SECRET: SECRET,
        LOG_LEVEL: 'warn',
        // The fake shop is plain http on 127.0.0.1 (dev-only setting).
        HANDOFF_ALLOW_PRIVATE_HOSTS: '1',
      }),
    );
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    db = await createTestDatabase(inject('database'));
    orm = await openOrm(db.url);
    shop = await startFakeShopify({ orders: makeShopifyOrders(1000) });
    gate = await startGate(shop.url, 2);
    const em = orm.em.fork();
    const merchant = em.create(Merchant, { name: 'E2E shop' });
    const connection = em.create(ChannelConnection, {
      merchant,
      kind: 'shopify',
      name: 'Fake Shopify',
      schedule: '0 0 1 1 *',
      settings: { shop: shop.shop, baseUrl: gate.url, pageSize: '250' },
      credentialsEncrypted: new Keyring(SECRET).encryptJson({ accessToken: shop.accessToken }),
    });
    await em.flush();
    connectionId = connection.id;
    queue = await JobQueue.connect(db.url, createLogger('silent', 'e2e'), QUEUES, { supervise: false });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop(10_000)));
    await queue?.stop(2000);
    await gate?.close();
    await shop?.close();
    await orm?.close();
    await db?.drop();
  });

  it('resumes within a minute of the restart and ends with exactly 1,000 orders and 1,000 paid triggers', async () => {
    await queue.send(SYNC_QUEUE, { connectionId, trigger: 'manual' }, { singletonKey: connectionId });
    const first = startWorker();
    await until(
      async () => gate.isHolding() && (await scalar('select count(*)::int as n from "order"')) === 500,
      'two pages imported',
    );
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(await scalar('select count(*)::int as n from "order"')).toBe(500);

    // The dead worker's job still holds the connection (one run per connection) until it expires.
    gate.open();
    const passedBefore = gate.passed();
    startWorker();
    const restartedAt = Date.now();
    await until(async () => gate.passed() > passedBefore, 'the run to resume', 90_000);
    const delay = Date.now() - restartedAt;
    console.log(`sync resumed ${(delay / 1000).toFixed(1)} s after the worker restarted`);
    expect(delay).toBeLessThan(60_000);
    await until(
      async () => (await scalar(`select count(*)::int as n from sync_run where status = 'succeeded'`)) === 1,
      'the resumed run',
      90_000,
    );
    expect(await scalar('select count(*)::int as n from "order"')).toBe(1000);
    expect(await scalar('select count(distinct external_id)::int as n from "order"')).toBe(1000);
    expect(await scalar(`select count(*)::int as n from order_trigger where kind = 'order.paid'`)).toBe(1000);
    // The killed run is closed as interrupted.
    expect(
      await scalar(`select count(*)::int as n from sync_run where status = 'failed' and error like 'Interrupted%'`),
    ).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it('a second sync writes no order row', async () => {
    const fingerprint = 'select coalesce(sum(extract(epoch from updated_at))::bigint, 0) as n from "order"';
    const before = await scalar(fingerprint);
    const events = await scalar('select count(*)::int as n from order_event');
    await queue.send(SYNC_QUEUE, { connectionId, trigger: 'manual' }, { singletonKey: connectionId });
    await until(
      async () => (await scalar(`select count(*)::int as n from sync_run where status = 'succeeded'`)) === 2,
      'the second run',
    );
    const run = await orm.em
      .fork()
      .getConnection()
      .execute<{ created: number; updated: number }[]>(
        `select created, updated from sync_run where status = 'succeeded' order by started_at desc limit 1`,
      );
    expect(run[0]).toEqual({ created: 0, updated: 0 });
    expect(await scalar(fingerprint)).toBe(before);
    expect(await scalar('select count(*)::int as n from order_event')).toBe(events);
  });
});
