import { isActionFailure, isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphqlClient } from './graphql.js';
import { clientHeaders, createPortalApi, type PortalApi } from './portal-api.js';
import { acceptWaiver, contactSeller, downloadLocation, loadView, noticeOf, requestNewLink } from './portal-page.js';
import { sampleView, startFakePortalApi, type FakePortalApi } from './testing/fake-portal-api.js';

const CODE = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
const TOKEN = 'portal-service-token-0123456789abcdef';
let fake: FakePortalApi;
let api: PortalApi;

beforeAll(async () => {
  fake = await startFakePortalApi({ token: TOKEN });
  const headers = clientHeaders('203.0.113.7', 'Mozilla/5.0 (Test) – Ünïcode');
  api = createPortalApi(createGraphqlClient({ url: fake.url, token: TOKEN, headers }));
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.views.clear();
  fake.views.set(CODE, sampleView());
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a throw');
    },
    (e: unknown) => e,
  );
}

describe('loadView', () => {
  it('sends the code with the portal token and the buyer’s IP and user agent (ASCII only)', async () => {
    const view = await loadView(api, CODE);
    expect(view.order.number).toBe('1001');
    const [request] = fake.requests;
    expect(request?.operation).toBe('Portal');
    expect(request?.variables).toEqual({ code: CODE });
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['x-handoff-client-ip']).toBe('203.0.113.7');
    expect(request?.headers['x-handoff-client-ua']).toBe('Mozilla/5.0 (Test)  ncode');
    expect(request?.headers['apollo-require-preflight']).toBe('true');
  });

  it('throws 404 for an unknown code, without the code in the message', async () => {
    const e = await thrown(loadView(api, 'x'.repeat(32)));
    expect(isHttpError(e, 404)).toBe(true);
    expect(JSON.stringify(e)).not.toContain('x'.repeat(32));
  });

  it('throws 429 with the end of a suspension and sets Retry-After', async () => {
    const until = new Date(Date.now() + 15 * 60_000).toISOString();
    fake.answer('Portal', () => ({
      portal: { view: null, error: { code: 'SUSPENDED', message: 's', suspendedUntil: until } },
    }));
    const headers: Record<string, string> = {};
    const e = await thrown(loadView(api, CODE, (h) => Object.assign(headers, h)));
    expect(isHttpError(e, 429)).toBe(true);
    expect((e as { body: { suspendedUntil: string } }).body.suspendedUntil).toBe(until);
    expect(Number(headers['retry-after'])).toBeGreaterThan(890);
    expect(Number(headers['retry-after'])).toBeLessThanOrEqual(900);
    fake.answer('Portal', (v) => ({
      portal: fake.views.has(String(v.code))
        ? { view: fake.views.get(String(v.code)), error: null }
        : { view: null, error: { code: 'INVALID_CODE', message: 'i', suspendedUntil: null } },
    }));
  });
});

describe('downloadLocation', () => {
  it('answers the API’s fresh link for an available file, one mint per click', async () => {
    expect(await downloadLocation(api, CODE, 'g-1')).toBe('http://127.0.0.1:9/d/token-for-g-1');
    await downloadLocation(api, CODE, 'g-1');
    expect(fake.requests.filter((r) => r.operation === 'PortalDownloadLink')).toHaveLength(2);
  });

  it('goes back to the page with a notice when the file is not available or the waiver is missing', async () => {
    expect(await downloadLocation(api, CODE, 'g-2')).toBe(`/p/${CODE}?notice=unavailable#files`);
    expect(await downloadLocation(api, CODE, 'nope')).toBe(`/p/${CODE}?notice=unavailable#files`);
    fake.views.set(CODE, sampleView({ waiverRequired: true }));
    expect(await downloadLocation(api, CODE, 'g-1')).toBe(`/p/${CODE}?notice=waiver#waiver`);
  });

  it('sends an unknown code to the page, which shows the generic answer', async () => {
    const other = 'Z'.repeat(32);
    expect(await downloadLocation(api, other, 'g-1')).toBe(`/p/${other}`);
  });

  it('never redirects to a non-http URL the API might return', async () => {
    fake.answer('PortalDownloadLink', () => ({
      portalDownloadLink: { url: 'javascript:alert(1)', expiresAt: null, error: null },
    }));
    expect(await downloadLocation(api, CODE, 'g-1')).toBe(`/p/${CODE}?notice=unavailable#files`);
    fake.answer('PortalDownloadLink', () => ({
      portalDownloadLink: {
        url: null,
        expiresAt: null,
        error: { code: 'RATE_LIMITED', message: 'r', suspendedUntil: null },
      },
    }));
    expect(await downloadLocation(api, CODE, 'g-1')).toBe(`/p/${CODE}?notice=busy#files`);
  });
});

describe('contactSeller', () => {
  it('refuses an empty message and a bad reply-to address with 400 before calling the API', async () => {
    const result = await contactSeller(api, CODE, form({ message: '  ', replyTo: 'not-an-email' }));
    expect(isActionFailure(result)).toBe(true);
    expect(result).toMatchObject({
      status: 400,
      data: { contact: { errors: { message: 'messageRequired', replyTo: 'replyToInvalid' } }, replyTo: 'not-an-email' },
    });
    const long = await contactSeller(api, CODE, form({ message: 'x'.repeat(5001) }));
    expect(long).toMatchObject({ status: 400, data: { contact: { errors: { message: 'messageTooLong' } } } });
    expect(fake.requests).toHaveLength(0);
  });

  it('sends the trimmed message and reply-to, or null when none is given', async () => {
    expect(await contactSeller(api, CODE, form({ message: ' Hello? ', replyTo: 'ada@buyer.test' }))).toEqual({
      contact: { sent: true },
    });
    await contactSeller(api, CODE, form({ message: 'Again' }));
    expect(fake.requests.map((r) => r.variables)).toEqual([
      { code: CODE, message: 'Hello?', replyTo: 'ada@buyer.test' },
      { code: CODE, message: 'Again', replyTo: null },
    ]);
  });

  it('keeps what the buyer wrote when the API refuses or is down', async () => {
    fake.answer('PortalContactSeller', () => ({
      portalContactSeller: { ok: false, error: { code: 'RATE_LIMITED', message: 'r', suspendedUntil: null } },
    }));
    expect(await contactSeller(api, CODE, form({ message: 'Hi' }))).toMatchObject({
      status: 429,
      data: { contact: { errors: { form: 'busy' } }, message: 'Hi' },
    });
    fake.answer('PortalContactSeller', () => {
      throw new Error('boom');
    });
    expect(await contactSeller(api, CODE, form({ message: 'Hi' }))).toMatchObject({
      status: 502,
      data: { contact: { errors: { form: 'failed' } } },
    });
  });
});

describe('acceptWaiver', () => {
  it('needs the ticked box', async () => {
    expect(await acceptWaiver(api, CODE, form({}))).toMatchObject({
      status: 400,
      data: { waiver: { error: 'required' } },
    });
    expect(fake.requests).toHaveLength(0);
    expect(await acceptWaiver(api, CODE, form({ accept: 'yes' }))).toEqual({ waiver: { accepted: true } });
    expect(fake.requests.map((r) => r.operation)).toEqual(['PortalAcceptWaiver']);
  });

  it('shows the generic page for an unknown code', async () => {
    const e = await thrown(acceptWaiver(api, 'Q'.repeat(32), form({ accept: 'yes' })));
    expect(isHttpError(e, 404)).toBe(true);
  });
});

describe('requestNewLink', () => {
  it('gives the same answer for any well-formed address', async () => {
    expect(await requestNewLink(api, form({ email: 'someone@buyer.test' }))).toEqual({ sent: true });
    expect(await requestNewLink(api, form({ email: ' NOBODY@nowhere.test ' }))).toEqual({ sent: true });
    expect(fake.requests.map((r) => r.variables.email)).toEqual(['someone@buyer.test', 'NOBODY@nowhere.test']);
  });

  it('refuses a malformed address without calling the API, and says when it is rate-limited', async () => {
    expect(await requestNewLink(api, form({ email: 'nope' }))).toMatchObject({
      status: 400,
      data: { email: 'nope', error: 'invalidEmail' },
    });
    expect(fake.requests).toHaveLength(0);
    fake.answer('PortalRequestNewLink', () => ({
      portalRequestNewLink: { ok: false, error: { code: 'RATE_LIMITED', message: 'r', suspendedUntil: null } },
    }));
    expect(await requestNewLink(api, form({ email: 'a@b.test' }))).toMatchObject({
      status: 429,
      data: { error: 'busy' },
    });
  });
});

describe('noticeOf', () => {
  it('accepts only known notices', () => {
    expect(noticeOf('waiver')).toBe('waiver');
    expect(noticeOf('unavailable')).toBe('unavailable');
    expect(noticeOf('<script>')).toBeNull();
    expect(noticeOf(null)).toBeNull();
  });
});
