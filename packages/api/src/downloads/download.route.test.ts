import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openOrm } from '../db/orm.js';
import { createHttpApp } from '../http/app.js';
import { createLogger } from '../logger.js';
import { Keyring } from '../security/keyring.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { DownloadEvent } from './download-event.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import { mintToken } from './download-token.js';
import {
  linkFor,
  seedDigitalOrder,
  sha256,
  tempRoot,
  TestClock,
  type DigitalOrder,
} from './testing/download-fixture.js';

const FILE = randomBytes(4 * 1024 * 1024 + 123);
/**
 * For the cut download: larger than what loopback can hold in flight (a 4 MiB send buffer, the
 * client's receive window, Node's stream buffers), so a cut can never find it all sent; and half of
 * it (a use's resend allowance) too, so the resume always fits on the cut download's use.
 */
const BIG = randomBytes(32 * 1024 * 1024 + 123);

describe('GET /d/:token', () => {
  let api: TestApi;
  let root: Awaited<ReturnType<typeof tempRoot>>;
  let merchantId: string;
  let apiKey: string;
  const clock = new TestClock();
  const em = () => api.orm.em.fork();
  const grant = (id: string) => em().findOneOrFail(DownloadGrant, { id }, { refresh: true });
  const seed = (options: Partial<Parameters<typeof seedDigitalOrder>[2]> = {}) =>
    seedDigitalOrder(api, em(), {
      merchantId,
      root: root.dir,
      files: [{ name: 'Handbuch für Käufer.pdf', ref: 'book.pdf' }],
      ...options,
    });
  const events = async (grantId: string, n: number) => {
    for (let i = 0; i < 100; i++) {
      const rows = await em().find(DownloadEvent, { grant: grantId }, { orderBy: { at: 'asc', id: 'asc' } });
      if (rows.length >= n) return rows;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`expected ${n} download events`);
  };
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

  beforeAll(async () => {
    root = await tempRoot();
    await writeFile(join(root.dir, 'book.pdf'), FILE);
    await writeFile(join(root.dir, 'big.bin'), BIG);
    api = await startTestApi(inject('database'), {
      clock,
      env: { HANDOFF_STORAGE_ROOTS: root.dir, DOWNLOAD_SUSPEND_THRESHOLD: '5' },
    });
    ({ merchantId, apiKey } = await api.merchantWithKey('Downloads shop'));
  });
  afterAll(async () => {
    await api.close();
    await root.remove();
  });

  it('streams the file with the right headers and counts one use', async () => {
    const order = await seed();
    const res = await fetch(await linkFor(api, merchantId, order.grantIds[0]![0]!));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe(String(FILE.length));
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Handbuch fur Kaufer.pdf"; filename*=UTF-8''Handbuch%20f%C3%BCr%20K%C3%A4ufer.pdf`,
    );
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(FILE));
    expect((await grant(order.grantIds[0]![0]!)).used).toBe(1);
    const [event] = await events(order.grantIds[0]![0]!, 1);
    expect(event).toMatchObject({ outcome: 'SERVED', bytesSent: FILE.length, completed: true, ip: '127.0.0.1' });
    expect(event!.at.toISOString()).toBe(clock.now().toISOString());
  });

  it('HEAD answers the headers without counting a use', async () => {
    const order = await seed();
    const res = await fetch(await linkFor(api, merchantId, order.grantIds[0]![0]!), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(FILE.length));
    expect((await grant(order.grantIds[0]![0]!)).used).toBe(0);
  });

  it('100 concurrent downloads of a grant with limit 3: exactly 3 served, 97 LIMIT_REACHED, used = 3', async () => {
    // A second app on the same database and services, with 50 pooled connections (half the server's
    // max_connections, which the other test files share): 50 transactions race at any moment.
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HANDOFF_STORAGE_ROOTS: root.dir });
    const orm = await openOrm(api.databaseUrl, { poolMax: 50 });
    const { server, apollo } = await createHttpApp(
      { orm, services: api.services, clock },
      config,
      createLogger(process.env.DL_DEBUG ? 'error' : 'silent', 'test'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (let run = 0; run < 4; run++) {
        const order = await seed({ files: [{ name: 'small.zip', content: randomBytes(2048) }] });
        const grantId = order.grantIds[0]![0]!;
        // Runs alternate between one shared link and a fresh link per request.
        const shared = new URL(await linkFor(api, merchantId, grantId)).pathname;
        const paths = await Promise.all(
          Array.from({ length: 100 }, async () =>
            run % 2 ? shared : new URL(await linkFor(api, merchantId, grantId)).pathname,
          ),
        );
        const results = await Promise.all(
          paths.map(async (path) => {
            const res = await fetch(`${base}${path}`);
            const body = Buffer.from(await res.arrayBuffer());
            return res.status === 200
              ? 'served'
              : (JSON.parse(body.toString()) as { error: { code: string } }).error.code;
          }),
        );
        const tally: Record<string, number> = {};
        for (const r of results) tally[r] = (tally[r] ?? 0) + 1;
        expect(tally).toEqual({ served: 3, LIMIT_REACHED: 97 });
        expect(results.filter((r) => r === 'LIMIT_REACHED')).toHaveLength(97);
        expect((await grant(grantId)).used).toBe(3);
      }
    } finally {
      await apollo.stop();
      await orm.close();
    }
  });

  it('a download cut early and resumed with Range costs one use and yields identical bytes', async () => {
    const order = await seed({ limit: 1, files: [{ name: 'Big.bin', ref: 'big.bin' }] });
    const grantId = order.grantIds[0]![0]!;
    const url = await linkFor(api, merchantId, grantId);
    // The buyer's connection stalls after the first chunk (nothing more is read, so the window does
    // not grow); the server fills the socket buffers and waits; then the connection drops.
    const first = await new Promise<Buffer>((resolve, reject) => {
      const req = httpRequest(url, (res) => {
        res.once('data', (chunk: Buffer) => {
          res.pause();
          setTimeout(() => {
            req.destroy();
            resolve(chunk);
          }, 300);
        });
        res.on('error', () => undefined);
      });
      req.on('error', (error) => reject(error));
      req.end();
    });
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(BIG.length);
    const [cut] = await events(grantId, 1);
    expect(cut).toMatchObject({ outcome: 'SERVED', completed: false });
    expect(cut!.bytesSent).toBeLessThan(BIG.length);

    const rest = await fetch(url, { headers: { range: `bytes=${first.length}-` } });
    expect(rest.status).toBe(206);
    expect(rest.headers.get('content-range')).toBe(`bytes ${first.length}-${BIG.length - 1}/${BIG.length}`);
    expect(rest.headers.get('content-length')).toBe(String(BIG.length - first.length));
    const whole = Buffer.concat([first, Buffer.from(await rest.arrayBuffer())]);
    expect(sha256(whole)).toBe(sha256(BIG));
    expect((await grant(grantId)).used).toBe(1);
    // Both events may carry the same clock time: pick them by outcome, not by order.
    const all = await events(grantId, 2);
    expect(all.find((e) => e.outcome === 'RESUMED')).toMatchObject({
      completed: true,
      bytesSent: BIG.length - first.length,
    });
    expect(all.filter((e) => e.outcome === 'SERVED')).toHaveLength(1);

    // The limit is spent: a fresh full download is refused, a Range resume of the counted token is not.
    const again = await fetch(url);
    expect(again.status).toBe(410);
    expect((await errorOf(again)).code).toBe('LIMIT_REACHED');
    const tail = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(BIG.subarray(BIG.length - 10));
    // The use carries what was sent: the cut part (as far as it left the server), the rest, the tail.
    await events(grantId, 3);
    const served = await em()
      .getKnex()
      .raw('select bytes_served::bigint as n from download_use where grant_id = ?', [grantId]);
    expect((served as { rows: { n: string }[] }).rows.map((r) => Number(r.n))).toEqual([
      cut!.bytesSent + BIG.length - first.length + 10,
    ]);
  });

  it('a Range request of a never-counted token counts once; 416 for a range past the end costs nothing', async () => {
    const order = await seed({ limit: 5 });
    const grantId = order.grantIds[0]![0]!;
    const url = await linkFor(api, merchantId, grantId);
    const part = await fetch(url, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(FILE.subarray(0, 100));
    await fetch(url, { headers: { range: 'bytes=100-199' } }).then((r) => r.arrayBuffer());
    expect((await grant(grantId)).used).toBe(1);
    const beyond = await fetch(await linkFor(api, merchantId, grantId), {
      headers: { range: `bytes=${FILE.length + 10}-` },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${FILE.length}`);
    expect((await grant(grantId)).used).toBe(1);
    const outcomes = (await events(grantId, 3)).map((e) => e.outcome).sort();
    expect(outcomes).toEqual(['RANGE_NOT_SATISFIABLE', 'RESUMED', 'SERVED']);
  });

  it('expiry is checked to the second with the injected clock', async () => {
    const order = await seed();
    const grantId = order.grantIds[0]![0]!;
    const expiresAt = new Date(clock.t + 60_000);
    await em().nativeUpdate(DownloadGrant, { id: grantId }, { expiresAt });
    const url = await linkFor(api, merchantId, grantId);
    const saved = clock.t;
    try {
      clock.t = expiresAt.getTime() - 1000;
      expect((await fetch(url, { method: 'GET' }).then(async (r) => [r.status, await r.arrayBuffer()]))[0]).toBe(200);
      clock.t = expiresAt.getTime();
      const res = await fetch(url);
      expect(res.status).toBe(410);
      expect((await errorOf(res)).code).toBe('EXPIRED');
    } finally {
      clock.t = saved;
    }
    expect((await grant(grantId)).used).toBe(1);
  });

  it('a link stops working when its own lifetime is over, also for a Range resume of a counted download', async () => {
    const order = await seed();
    const grantId = order.grantIds[0]![0]!;
    const url = await linkFor(api, merchantId, grantId);
    const saved = clock.t;
    try {
      clock.advance(598);
      expect((await fetch(url, { headers: { range: 'bytes=0-9' } })).status).toBe(206);
      clock.advance(1);
      expect((await fetch(url, { headers: { range: 'bytes=10-19' } })).status).toBe(206);
      clock.advance(1);
      const asks: Record<string, string>[] = [{}, { range: 'bytes=20-29' }, { range: 'bytes=-10' }];
      for (const headers of asks) {
        const res = await fetch(url, { headers });
        expect(res.status).toBe(410);
        expect((await errorOf(res)).code).toBe('EXPIRED');
      }
      expect((await fetch(url, { method: 'HEAD', headers: { range: 'bytes=20-' } })).status).toBe(410);
      expect((await grant(grantId)).used).toBe(1);
      const outcomes = (await events(grantId, 5)).map((e) => e.outcome).sort();
      expect(outcomes).toEqual(['EXPIRED', 'EXPIRED', 'EXPIRED', 'RESUMED', 'SERVED']);
    } finally {
      clock.t = saved;
    }
  });

  it('revoked, tampered, foreign and unknown tokens get their own codes; B-for-A looks like not found', async () => {
    const a = await seed();
    const b = await seed();
    await api.gql(
      'mutation($id: ID!) { revokeLineDownloads(orderItemId: $id) { userErrors { code } } }',
      { id: a.itemIds[0] },
      apiKey,
    );
    const revoked = await fetch(await linkFor(api, merchantId, a.grantIds[0]![0]!));
    expect([revoked.status, (await errorOf(revoked)).code]).toEqual([410, 'REVOKED']);

    const good = new URL(await linkFor(api, merchantId, b.grantIds[0]![0]!)).pathname.slice(3);
    const [body, mac] = good.split('.') as [string, string];
    // Order A's grant id, with order B's signature: the signature no longer matches.
    const swapped = mintToken(
      new Keyring('another-secret-another-secret-0123456789'),
      a.grantIds[0]![0]!,
      new Date(clock.t + 60_000),
    );
    const foreign = mintToken(
      new Keyring('another-secret-another-secret-0123456789'),
      b.grantIds[0]![0]!,
      new Date(clock.t + 60_000),
    );
    const unknown = mintToken(api.keyring, '0b7d1f5e-3c1a-4d7b-9a55-1e2f3a4b5c6d', new Date(clock.t + 60_000));
    const flipped = `${body}.${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
    const answers = [];
    for (const token of [`${swapped.token.split('.')[0]}.${mac}`, foreign.token, unknown.token, flipped]) {
      const res = await fetch(`${api.url}/d/${token}`);
      answers.push([res.status, await res.text()]);
    }
    const notFound = answers[2]!;
    expect(notFound[0]).toBe(404);
    expect(JSON.parse(notFound[1] as string).error.code).toBe('INVALID_LINK');
    for (const answer of answers) expect(answer).toEqual(notFound);
    expect((await grant(b.grantIds[0]![0]!)).used).toBe(0);
  });

  it('malformed tokens get a fast 4xx, never a 500', async () => {
    const good = new URL(await linkFor(api, merchantId, (await seed()).grantIds[0]![0]!)).pathname.slice(3);
    const bad = [
      good.slice(0, -1),
      `${good}A`,
      `${good.slice(0, 20)}${good[20] === 'x' ? 'y' : 'x'}${good.slice(21)}`,
      good.replace('.', '~'),
      'x'.repeat(10 * 1024),
      randomBytes(7000).toString('base64url'),
      '%E0%A4%A',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'ｘ'.repeat(94),
      '..',
    ];
    for (const token of bad) {
      const started = performance.now();
      const res = await fetch(`${api.url}/d/${token}`);
      const ms = performance.now() - started;
      expect(res.status, token.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(res.status, token.slice(0, 40)).toBeLessThan(500);
      expect(ms).toBeLessThan(1000);
      const text = await res.text();
      expect(text).not.toMatch(/ERR_CRYPTO|RangeError|stack/);
    }
  });

  it('suspends an IP at an order after N bad attempts, shows the end, lifts after the window or by the merchant', async () => {
    const order = await seed();
    const grantId = order.grantIds[0]![0]!;
    const good = await linkFor(api, merchantId, grantId);
    const path = new URL(good).pathname;
    const tampered = `${api.url}${path.slice(0, -2)}${path.endsWith('AA') ? 'BB' : 'AA'}`;
    const codes = await Promise.all(
      Array.from({ length: 5 }, () => fetch(tampered).then(async (r) => [r.status, (await errorOf(r)).code])),
    );
    expect(codes.filter(([s]) => s === 404)).toHaveLength(4);
    expect(codes.filter(([s]) => s === 429)).toHaveLength(1);

    const refused = await fetch(good);
    expect(refused.status).toBe(429);
    const error = (await refused.json()) as { error: { code: string; suspendedUntil: string } };
    expect(error.error.code).toBe('SUSPENDED');
    expect(error.error.suspendedUntil).toBe(new Date(clock.t + 30 * 60_000).toISOString());
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another order from the same IP is unaffected.
    const other = await seed();
    expect((await fetch(await linkFor(api, merchantId, other.grantIds[0]![0]!))).status).toBe(200);

    const listed = await api.gql<{
      suspensions: {
        edges: { node: { id: string; orderId: string; failures: number; suspendedUntil: string; active: boolean } }[];
      };
    }>(
      '{ suspensions(first: 10, activeOnly: true) { edges { node { id orderId failures suspendedUntil active } } } }',
      {},
      apiKey,
    );
    const node = listed.data!.suspensions.edges.find((e) => e.node.orderId === order.orderId)!.node;
    expect(node).toMatchObject({ failures: 5, active: true, suspendedUntil: error.error.suspendedUntil });

    const saved = clock.t;
    try {
      clock.advance(30 * 60);
      expect((await fetch(await linkFor(api, merchantId, grantId))).status).toBe(200);
    } finally {
      clock.t = saved;
    }

    // Suspended again (the window restarted), then lifted by the merchant.
    for (let i = 0; i < 5; i++) await fetch(tampered);
    expect((await fetch(good)).status).toBe(429);
    const lifted = await api.gql<{
      liftSuspension: { suspension: { suspendedUntil: string | null; liftedBy: string } };
    }>(
      'mutation($id: ID!) { liftSuspension(id: $id) { suspension { suspendedUntil liftedBy } userErrors { code } } }',
      { id: node.id },
      apiKey,
    );
    expect(lifted.data!.liftSuspension.suspension).toEqual({ suspendedUntil: null, liftedBy: 'api-key:test' });
    expect((await fetch(good)).status).toBe(200);
  });

  it('traversal refs never leave the root: STORAGE_UNAVAILABLE, and no use is counted', async () => {
    await writeFile(join(root.dir, '..', `outside-${process.pid}.txt`), 'secret');
    for (const ref of [
      '../outside.txt',
      `../outside-${process.pid}.txt`,
      '%2e%2e%2fetc%2fpasswd',
      '/etc/passwd',
      '..\\..\\x',
    ]) {
      const order = await seed({ files: [{ name: 'evil.txt', ref }] });
      const grantId = order.grantIds[0]![0]!;
      const res = await fetch(await linkFor(api, merchantId, grantId));
      expect(res.status, ref).toBe(503);
      expect((await errorOf(res)).code).toBe('STORAGE_UNAVAILABLE');
      expect((await grant(grantId)).used).toBe(0);
    }
  });

  it('a provider outage counts no use and answers 503', async () => {
    const order = await seed({ files: [{ name: 'gone.pdf', ref: 'does-not-exist.pdf' }] });
    const grantId = order.grantIds[0]![0]!;
    const res = await fetch(await linkFor(api, merchantId, grantId));
    expect(res.status).toBe(503);
    expect((await grant(grantId)).used).toBe(0);
    const [event] = await events(grantId, 1);
    expect(event!.outcome).toBe('STORAGE_UNAVAILABLE');
  });

  it('stores a truncated IP when the merchant asks for it', async () => {
    const { merchantId: m2 } = await api.merchantWithKey('GDPR shop');
    await api.orm.em
      .fork()
      .getConnection()
      .execute(`update merchant set settings = jsonb_set(settings, '{downloads,truncateIps}', 'true') where id = ?`, [
        m2,
      ]);
    const order = await seedDigitalOrder(api, em(), {
      merchantId: m2,
      root: root.dir,
      files: [{ name: 'b.pdf', ref: 'book.pdf' }],
    });
    await fetch(await linkFor(api, m2, order.grantIds[0]![0]!)).then((r) => r.arrayBuffer());
    const [event] = await events(order.grantIds[0]![0]!, 1);
    expect(event!.ip).toBe('127.0.0.0');
  });
});

export type { DigitalOrder };
