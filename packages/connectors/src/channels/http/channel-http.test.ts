import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError } from '../channel-connector.js';
import { ChannelRateLimitError, createChannelHttp } from './channel-http.js';
import { startFakeHttpServer, type FakeHttpServer } from './testing/fake-http-server.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';

let server: FakeHttpServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

async function okServer() {
  server = await startFakeHttpServer(() => ({ status: 200, body: { ok: true } }));
  return server;
}

describe('createChannelHttp', () => {
  it('waits the Retry-After seconds of a 429, then returns the 200', async () => {
    const fake = await okServer();
    fake.failNext({ status: 429, headers: { 'retry-after': '2' }, body: { errors: 'Exceeded 2 calls per second' } });
    const { waits, sleep } = recorder();
    const http = createChannelHttp({ outbound: LOOPBACK_FAKES, sleep });

    const res = await http.request<{ ok: boolean }>(`${fake.url}/orders`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(waits).toEqual([2000]);
    expect(fake.requests).toHaveLength(2);
  });

  it('reads a Retry-After given as an HTTP date against the injected clock', async () => {
    const fake = await okServer();
    const now = new Date('2025-03-01T10:00:00Z');
    fake.failNext({ status: 429, headers: { 'retry-after': 'Sat, 01 Mar 2025 10:00:07 GMT' } });
    const { waits, sleep } = recorder();

    await createChannelHttp({ outbound: LOOPBACK_FAKES, sleep, now: () => now }).request(`${fake.url}/x`);

    expect(waits).toEqual([7000]);
  });

  it('backs off exponentially on 503 twice, then succeeds', async () => {
    const fake = await okServer();
    fake.failNext({ status: 503, body: '<html>Service Unavailable</html>', times: 2 });
    const { waits, sleep } = recorder();
    const http = createChannelHttp({ outbound: LOOPBACK_FAKES, sleep, random: () => 1, baseDelayMs: 500 });

    const res = await http.request(`${fake.url}/x`);

    expect(res.status).toBe(200);
    expect(waits).toEqual([500, 1000]);
    expect(fake.requests).toHaveLength(3);
  });

  it('keeps jitter within half to the full step and caps at maxDelayMs', async () => {
    const fake = await okServer();
    fake.failNext({ status: 502, times: 4 });
    const { waits, sleep } = recorder();
    await createChannelHttp({
      outbound: LOOPBACK_FAKES,
      sleep,
      random: () => 0,
      baseDelayMs: 1000,
      maxDelayMs: 3000,
    }).request(`${fake.url}/x`);
    expect(waits).toEqual([500, 1000, 1500, 1500]);
  });

  it('surfaces the provider message of a 400 as a non-retryable ChannelError', async () => {
    server = await startFakeHttpServer(() => ({
      status: 400,
      body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): per_page', data: { status: 400 } },
    }));
    const http = createChannelHttp({ outbound: LOOPBACK_FAKES, sleep: async () => {} });

    const error = await http.request(`${server.url}/wp-json/wc/v3/orders?consumer_secret=cs_secret`).catch((e) => e);

    expect(error).toBeInstanceOf(ChannelError);
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Invalid parameter(s): per_page');
    expect(error.message).not.toContain('cs_secret');
    expect(server.requests).toHaveLength(1);
  });

  it('joins Shopware-style errors[].detail', async () => {
    server = await startFakeHttpServer(() => ({
      status: 400,
      body: {
        errors: [{ status: '400', code: 'FRAMEWORK__INVALID_CRITERIA', title: 'Bad Request', detail: 'limit too big' }],
      },
    }));
    const error = await createChannelHttp({ outbound: LOOPBACK_FAKES })
      .request(`${server.url}/api/search/order`, { method: 'POST' })
      .catch((e) => e);
    expect(error.message).toContain('limit too big');
  });

  it('turns 401 into a non-retryable error without retrying', async () => {
    server = await startFakeHttpServer(() => ({
      status: 401,
      body: { errors: '[API] Invalid API key or access token' },
    }));
    const { waits, sleep } = recorder();
    const error = await createChannelHttp({ outbound: LOOPBACK_FAKES, sleep })
      .request(`${server.url}/x`)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.status).toBe(401);
    expect(error.retryable).toBe(false);
    expect(waits).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('gives up after maxRetries with a retryable error', async () => {
    server = await startFakeHttpServer(() => ({ status: 500, body: { message: 'boom' } }));
    const { waits, sleep } = recorder();
    const error = await createChannelHttp({ outbound: LOOPBACK_FAKES, sleep, maxRetries: 3 })
      .request(`${server.url}/x`)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(500);
    expect(error.message).toContain('boom');
    expect(server.requests).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it('retry: throttled sends a request again after a 429 only, never after a 5xx or a lost connection', async () => {
    const fake = await okServer();
    fake.failNext({ status: 429 });
    const { waits, sleep } = recorder();
    const http = createChannelHttp({ outbound: LOOPBACK_FAKES, sleep, random: () => 0 });
    expect((await http.request(`${fake.url}/send`, { method: 'POST', retry: 'throttled' })).status).toBe(200);
    expect(fake.requests).toHaveLength(2);

    fake.failNext({ status: 503, body: { message: 'busy' } });
    const error = await http.request(`${fake.url}/send`, { method: 'POST', retry: 'throttled' }).catch((e) => e);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(error.message).toContain('after 1 attempt(s)');
    expect(fake.requests).toHaveLength(3);

    const url = fake.url;
    await fake.close();
    server = null;
    const lost = await http.request(`${url}/send`, { method: 'POST', retry: 'throttled' }).catch((e) => e);
    expect(lost).toMatchObject({ retryable: true });
    expect(lost.message).toContain('network error');
    expect(waits).toHaveLength(1); // only the 429's
  });

  it('refuses to block longer than maxDelayMs for a long Retry-After', async () => {
    server = await startFakeHttpServer(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const error = await createChannelHttp({ outbound: LOOPBACK_FAKES, sleep: async () => {} })
      .request(`${server.url}/x`)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ChannelRateLimitError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.retryable).toBe(true);
  });

  it('retries network errors with backoff', async () => {
    const dead = await startFakeHttpServer(() => ({ status: 200 }));
    const url = dead.url;
    await dead.close();
    const { waits, sleep } = recorder();
    const error = await createChannelHttp({ outbound: LOOPBACK_FAKES, sleep, maxRetries: 2, random: () => 0 })
      .request(url)
      .catch((e) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('network error');
    expect(waits).toEqual([250, 500]);
  });

  it('paces the next request by the throttleDelay hook on success', async () => {
    server = await startFakeHttpServer(() => ({ status: 200, headers: { 'x-remaining-this-second': '0' }, body: {} }));
    const { waits, sleep } = recorder();
    const http = createChannelHttp({
      outbound: LOOPBACK_FAKES,
      sleep,
      throttleDelay: (r) => (r.headers.get('x-remaining-this-second') === '0' ? 1000 : null),
    });
    await http.request(`${server.url}/a`);
    expect(waits).toEqual([]); // nothing owed until another request goes out
    await http.request(`${server.url}/b`);
    expect(waits).toEqual([1000]);
  });

  it('uses throttleDelay for a 429 that has no Retry-After', async () => {
    const fake = await okServer();
    fake.failNext({ status: 429 });
    const { waits, sleep } = recorder();
    await createChannelHttp({
      outbound: LOOPBACK_FAKES,
      sleep,
      throttleDelay: (r) => (r.status === 429 ? 1234 : null),
    }).request(fake.url);
    expect(waits).toEqual([1234]);
  });

  it('repeats a 200 the retryDelay hook calls throttled', async () => {
    const fake = await okServer();
    fake.failNext({ status: 200, body: { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] } });
    const { waits, sleep } = recorder();
    const res = await createChannelHttp({ outbound: LOOPBACK_FAKES, sleep }).request<{ ok?: boolean }>(fake.url, {
      method: 'POST',
      retryDelay: (r) => ((r.body as { errors?: unknown }).errors ? 800 : null),
    });
    expect(res.body).toEqual({ ok: true });
    expect(waits).toEqual([800]);
    expect(fake.requests).toHaveLength(2);
  });

  it('returns text when asked and null for an empty JSON body', async () => {
    server = await startFakeHttpServer((r) => (r.path === '/text' ? { status: 200, body: 'hello' } : { status: 204 }));
    const http = createChannelHttp({ outbound: LOOPBACK_FAKES });
    expect((await http.request(`${server.url}/text`, { parse: 'text' })).body).toBe('hello');
    expect((await http.request(`${server.url}/empty`)).body).toBeNull();
  });
});
