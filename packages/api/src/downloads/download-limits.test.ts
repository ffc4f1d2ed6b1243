import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { DownloadEvent } from './download-event.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import { byteCapOf } from './use-bytes.js';
import { linkFor, seedDigitalOrder, tempRoot, TestClock } from './testing/download-fixture.js';

/** Odd on purpose: halves and quarters of it do not divide evenly. */
const FILE = randomBytes(96 * 1024 + 5);
const SIZE = FILE.length;
const LIMIT = 3;
/** What one use may carry at most: the file once plus the documented resend allowance. */
const CAP = byteCapOf(SIZE);

/** One request of an attack: its headers and which link it uses. */
interface Ask {
  range?: string;
  ifRange?: string;
  head?: boolean;
  /** A freshly minted link instead of the attack's first one. */
  fresh?: boolean;
}
/** A request, requests sent in parallel, or the clock moved on. */
type Step = Ask | Ask[] | { advance: number };

interface Tally {
  /** Body bytes of every 2xx answer. */
  bytes: number;
  /** 200 answers carrying the whole file. */
  fullCopies: number;
  /** 2xx answers (HEAD too) once the attack's link had expired. */
  afterExpiry: number;
  statuses: number[];
}

const repeat = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
const quarter = Math.floor(SIZE / 4);

/** Every way of asking for bytes we could think of; each runs against a fresh grant of limit 3. */
const ATTACKS: Record<string, Step[]> = {
  'bytes=0- repeated': repeat(20, () => ({ range: 'bytes=0-' })),
  'bytes=0-0 then bytes=1- repeated': repeat(10, () => [{ range: 'bytes=0-0' }, { range: 'bytes=1-' }]).flatMap(
    (pair) => pair.map((a) => a as Step),
  ),
  'a full download then bytes=1- repeated': [{}, ...repeat(20, () => ({ range: 'bytes=1-' }))],
  'suffix ranges': repeat(10, () => [{ range: `bytes=-${SIZE}` }, { range: `bytes=-${SIZE - 1}` }]).flat(),
  'suffix ranges larger than the file': repeat(15, () => ({ range: `bytes=-${SIZE * 10}` })),
  'overlapping halves': repeat(15, (i) => ({
    range: i % 2 ? `bytes=${quarter}-` : `bytes=1-${3 * quarter}`,
  })),
  'multi-range': repeat(15, (i) => ({ range: i % 2 ? 'bytes=0-0,1-1' : `bytes=1-,0-${SIZE}` })),
  garbage: repeat(15, (i) => ({
    range: ['garbage', 'bytes=x-y', 'items=1-', 'bytes=-0', `bytes=5-1`, 'bytes=', 'bytes=1-2-3'][i % 7],
  })),
  'If-Range with a resume': [{}, ...repeat(15, () => ({ range: 'bytes=1-', ifRange: '"anything"' }))],
  'If-Range with a date': [{}, ...repeat(15, () => ({ range: 'bytes=1-', ifRange: 'Sun, 06 Dec 2026 00:00:00 GMT' }))],
  'HEAD requests': [{}, ...repeat(20, (i) => ({ head: true, ...(i % 2 && { range: 'bytes=1-' }) }))],
  'many small ranges covering the file again and again': repeat(60, (i) => ({
    range: `bytes=${1 + (i % 8) * Math.floor(SIZE / 8)}-${(i % 8) * Math.floor(SIZE / 8) + Math.floor(SIZE / 8)}`,
  })),
  'parallel resumes of one counted download': [{}, repeat(30, () => ({ range: 'bytes=1-' }))],
  'parallel small resumes of one counted download': [
    {},
    repeat(40, (i) => ({ range: `bytes=${1 + i}-${quarter + i}` })),
  ],
  'parallel full downloads on one link': [repeat(30, () => ({}))],
  'parallel mixed asks on fresh links': [
    repeat(40, (i) => ({
      fresh: true,
      range: [undefined, 'bytes=0-', 'bytes=1-', 'garbage', `bytes=-${SIZE}`][i % 5],
    })),
  ],
  'fresh links resuming': repeat(20, () => ({ fresh: true, range: 'bytes=1-' })),
  'resumes after the limit is reached': [
    ...repeat(LIMIT, () => ({ fresh: true })),
    ...repeat(10, (i) => ({ range: `bytes=${1 + i}-` })),
    ...repeat(10, (i) => ({ fresh: true, range: `bytes=${1 + i}-${i + 100}` })),
  ],
  'resumes after the link expired': [
    { range: 'bytes=0-0' },
    { advance: 601 },
    ...repeat(10, () => ({ range: 'bytes=1-' })),
    { head: true },
  ],
  'resumes of a cut download after the link expired': [
    { range: `bytes=0-${quarter}` },
    { advance: 601 },
    repeat(10, (i) => ({ range: `bytes=${quarter + 1 + i}-` })),
  ],
};

describe('/d/:token: no header gets more than the limit allows', () => {
  let api: TestApi;
  let root: Awaited<ReturnType<typeof tempRoot>>;
  let merchantId: string;
  const clock = new TestClock();
  const em = () => api.orm.em.fork();

  beforeAll(async () => {
    root = await tempRoot();
    api = await startTestApi(inject('database'), { clock, env: { HANDOFF_STORAGE_ROOTS: root.dir } });
    ({ merchantId } = await api.merchantWithKey('Limits shop'));
  });
  afterAll(async () => {
    await api.close();
    await root.remove();
  });

  /** Runs the steps against a fresh grant; checks every body it gets is the right part of the file. */
  async function attack(steps: Step[]): Promise<Tally & { grantId: string }> {
    const order = await seedDigitalOrder(api, em(), {
      merchantId,
      root: root.dir,
      limit: LIMIT,
      files: [{ name: `limits-${randomBytes(4).toString('hex')}.bin`, content: FILE }],
    });
    const grantId = order.grantIds[0]![0]!;
    const first = await linkFor(api, merchantId, grantId);
    const tally: Tally = { bytes: 0, fullCopies: 0, afterExpiry: 0, statuses: [] };
    let expired = false;
    const send = async (ask: Ask) => {
      const url = ask.fresh ? await linkFor(api, merchantId, grantId) : first;
      const headers: Record<string, string> = {};
      if (ask.range !== undefined) headers.range = ask.range;
      if (ask.ifRange !== undefined) headers['if-range'] = ask.ifRange;
      const res = await fetch(url, { method: ask.head ? 'HEAD' : 'GET', headers });
      const body = Buffer.from(await res.arrayBuffer());
      tally.statuses.push(res.status);
      if (res.status === 200 && !ask.head) {
        expect(body.equals(FILE)).toBe(true);
        tally.fullCopies++;
      }
      if (res.status === 206) {
        const [, from, to, size] = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get('content-range') ?? '')!;
        expect(Number(size)).toBe(SIZE);
        expect(body.equals(FILE.subarray(Number(from), Number(to) + 1))).toBe(true);
      }
      if (res.status < 300) tally.bytes += body.length;
      if (expired && res.status < 300) tally.afterExpiry++;
    };
    const saved = clock.t;
    try {
      for (const step of steps) {
        if ('advance' in step) {
          clock.advance(step.advance);
          expired = true;
        } else if (Array.isArray(step)) await Promise.all(step.map(send));
        else await send(step);
      }
    } finally {
      clock.t = saved;
    }
    return { ...tally, grantId };
  }

  /** The bytes the server recorded against the grant's uses, once every response has settled. */
  async function recordedBytes(grantId: string, answered: number): Promise<number> {
    for (let i = 0; i < 100; i++) {
      const events = await em().count(DownloadEvent, { grant: grantId });
      if (events >= answered) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const rows = (await em()
      .getKnex()
      .raw('select coalesce(sum(bytes_served), 0)::bigint as n from download_use where grant_id = ?', [grantId])) as {
      rows: { n: string }[];
    };
    return Number(rows.rows[0]!.n);
  }

  for (const [name, steps] of Object.entries(ATTACKS)) {
    it(`${name}: at most ${LIMIT} uses, ${LIMIT} whole copies and ${LIMIT} × (size + allowance) bytes`, async () => {
      const result = await attack(steps);
      const grant = await em().findOneOrFail(DownloadGrant, { id: result.grantId }, { refresh: true });
      expect(grant.used).toBeLessThanOrEqual(LIMIT);
      expect(result.fullCopies).toBeLessThanOrEqual(LIMIT);
      expect(result.bytes).toBeLessThanOrEqual(LIMIT * CAP);
      expect(result.afterExpiry).toBe(0);
      expect(result.bytes).toBeLessThanOrEqual(grant.used * CAP);
      const gets = steps.flat().filter((s) => !('advance' in s) && !s.head).length;
      const recorded = await recordedBytes(result.grantId, gets);
      expect(result.bytes).toBeLessThanOrEqual(recorded);
      expect(recorded).toBeLessThanOrEqual(grant.used * CAP);
      // Nothing served is a refusal: every 2xx below is accounted above, every other answer a 4xx.
      for (const status of result.statuses) expect([200, 206, 410, 416]).toContain(status);
    });
  }

  /** A fresh grant of `limit` on the file, and its first link. */
  async function grantOf(limit: number): Promise<{ grantId: string; url: string }> {
    const order = await seedDigitalOrder(api, em(), {
      merchantId,
      root: root.dir,
      limit,
      files: [{ name: `limits-${randomBytes(4).toString('hex')}.bin`, content: FILE }],
    });
    const grantId = order.grantIds[0]![0]!;
    return { grantId, url: await linkFor(api, merchantId, grantId) };
  }
  const used = async (grantId: string) =>
    (await em().findOneOrFail(DownloadGrant, { id: grantId }, { refresh: true })).used;
  const uses = async (grantId: string) =>
    (
      (await em()
        .getKnex()
        .raw(
          `select bytes_served::bigint as served, byte_cap::bigint as cap, current from download_use
           where grant_id = ? order by current, bytes_served`,
          [grantId],
        )) as { rows: { served: string; cap: string; current: boolean }[] }
    ).rows.map((r) => ({ served: Number(r.served), cap: Number(r.cap), current: r.current }));
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { headers });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  };

  it('a request from the first byte is a new download; a resume past it is free until its use carried its cap', async () => {
    const { grantId, url } = await grantOf(5);
    expect((await get(url, { range: 'bytes=0-' })).status).toBe(206);
    expect((await get(url, { range: 'bytes=0-' })).status).toBe(206);
    expect(await used(grantId)).toBe(2);
    // The second use has carried the file once; the file less one byte again does not fit its cap.
    expect((await get(url, { range: 'bytes=1-' })).status).toBe(206);
    expect(await used(grantId)).toBe(3);
    // A quarter more fits on that third use: a resume.
    const tail = await get(url, { range: `bytes=${SIZE - quarter}-` });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(FILE.subarray(SIZE - quarter))).toBe(true);
    expect(await used(grantId)).toBe(3);
    expect(await uses(grantId)).toEqual([
      { served: SIZE, cap: CAP, current: false },
      { served: SIZE, cap: CAP, current: false },
      { served: SIZE - 1 + quarter, cap: CAP, current: true },
    ]);
  });

  it('garbage, several ranges and If-Range ask for the whole file: a 200 that counts a new use', async () => {
    const { grantId, url } = await grantOf(5);
    expect((await get(url, { range: 'bytes=0-9' })).status).toBe(206);
    const asks: Record<string, string>[] = [
      { range: 'garbage' },
      { range: 'bytes=10-19,20-29' },
      { range: 'bytes=10-', 'if-range': '"etag"' },
    ];
    for (const headers of asks) {
      const res = await get(url, headers);
      expect(res.status).toBe(200);
      expect(res.body.equals(FILE)).toBe(true);
    }
    expect(await used(grantId)).toBe(4);
    expect((await get(url, { range: 'garbage' })).status).toBe(200);
    const spent = await get(url, { range: 'garbage' });
    expect(spent.status).toBe(410);
    expect(JSON.parse(spent.body.toString()).error.code).toBe('LIMIT_REACHED');
  });

  it('parallel resumes of one use reserve their bytes atomically: the use never passes its cap', async () => {
    const { grantId, url } = await grantOf(1);
    expect((await get(url)).status).toBe(200);
    // What is left of the use's cap holds exactly four of these eighths.
    const eighth = Math.floor(SIZE / 8);
    expect(Math.floor((CAP - SIZE) / eighth)).toBe(4);
    const answers = await Promise.all(
      repeat(20, (i) => get(url, { range: `bytes=${1 + (i % 7) * eighth}-${(i % 7) * eighth + eighth}` })),
    );
    expect(answers.filter((a) => a.status === 206)).toHaveLength(4);
    expect(answers.filter((a) => a.status === 410)).toHaveLength(16);
    expect(await used(grantId)).toBe(1);
    expect(await uses(grantId)).toEqual([{ served: SIZE + 4 * eighth, cap: CAP, current: true }]);
    const events = await em().find(DownloadEvent, { grant: grantId });
    expect(events.filter((e) => e.outcome === 'LIMIT_REACHED')).toHaveLength(16);
  });

  it('a resume stops when the grant is revoked or expires, even with room left on its use', async () => {
    const { grantId, url } = await grantOf(3);
    expect((await get(url, { range: 'bytes=0-99' })).status).toBe(206);
    await em().nativeUpdate(DownloadGrant, { id: grantId }, { revokedAt: new Date(clock.t) });
    const revoked = await get(url, { range: 'bytes=100-' });
    expect([revoked.status, JSON.parse(revoked.body.toString()).error.code]).toEqual([410, 'REVOKED']);
    await em().nativeUpdate(DownloadGrant, { id: grantId }, { revokedAt: null, expiresAt: new Date(clock.t) });
    const expired = await get(url, { range: 'bytes=100-' });
    expect([expired.status, JSON.parse(expired.body.toString()).error.code]).toEqual([410, 'EXPIRED']);
    expect(await used(grantId)).toBe(1);
  });

  it('a range outside the file is a 416 that costs nothing and is logged', async () => {
    const { grantId, url } = await grantOf(1);
    const res = await fetch(url, { headers: { range: `bytes=${SIZE}-` } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe(`bytes */${SIZE}`);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('RANGE_NOT_SATISFIABLE');
    expect(await used(grantId)).toBe(0);
    const [event] = await em().find(DownloadEvent, { grant: grantId });
    expect(event).toMatchObject({ outcome: 'RANGE_NOT_SATISFIABLE', range: `bytes=${SIZE}-`, bytesSent: 0 });
    expect((await get(url)).status).toBe(200);
  });

  it('the allowance is less than a second copy: one use never carries the file twice', () => {
    expect(CAP).toBeLessThan(2 * SIZE);
    expect(CAP).toBeGreaterThanOrEqual(SIZE);
  });
});
