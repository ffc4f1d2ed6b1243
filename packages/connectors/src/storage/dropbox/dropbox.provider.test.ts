import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAuthError } from '../oauth.js';
import { bytesOf, closedPort, reasonOf, sha256 } from '../testing/stream-helpers.js';
import { dropboxOAuth } from './dropbox.oauth.js';
import type { DropboxOptions, RefreshedCredentials } from './dropbox.options.js';
import { DropboxStorageProvider } from './dropbox.provider.js';
import { dropboxContentHash } from './testing/dropbox-content-hash.js';
import { startFakeDropbox, type FakeDropboxServer } from './testing/fake-dropbox-server.js';

describe('DropboxStorageProvider against the fake Dropbox', () => {
  let fake: FakeDropboxServer;
  const novel = randomBytes(600_000);
  const ids: Record<string, string> = {};
  let sleeps: number[];
  let refreshed: RefreshedCredentials[];

  const make = (overrides: Partial<DropboxOptions> = {}) =>
    new DropboxStorageProvider(
      {
        root: '/Shop',
        accessToken: 'fake-access-token',
        refreshToken: 'fake-refresh-token',
        clientId: fake.clientId,
        clientSecret: fake.clientSecret,
        apiBaseUrl: fake.baseUrl,
        pageSize: 2,
        ...overrides,
      },
      {
        sleep: async (ms) => void sleeps.push(ms),
        onCredentialsChanged: (next) => void refreshed.push(next),
      },
    );

  beforeAll(async () => {
    fake = await startFakeDropbox({ pageSize: 2 });
    fake.addFile('/Shop/readme.txt', 'hello buyer\n');
    ids.novel = fake.addFile('/Shop/ebooks/Novel.pdf', novel);
    for (const n of [1, 2, 3, 4, 5]) fake.addFile(`/Shop/ebooks/part-${n}.txt`, `part ${n}`);
    fake.addFolder('/Shop/ebooks/extras');
    ids.other = fake.addFile('/Other/secret.txt', 'another tenant');
    ids.sibling = fake.addFile('/Shopping/secret.txt', 'a sibling folder');
  });

  afterAll(async () => {
    await fake?.close();
  });

  beforeEach(() => {
    sleeps = [];
    refreshed = [];
  });

  it('lists the root folder only', async () => {
    const entries = await make().list('');
    expect(entries.map((e) => [e.ref, e.kind])).toEqual([
      ['ebooks', 'folder'],
      ['readme.txt', 'file'],
    ]);
  });

  it('follows list_folder/continue cursors across several pages', async () => {
    const before = fake.requests.length;
    const entries = await make().list('ebooks');
    expect(entries.map((e) => e.ref)).toEqual([
      'ebooks/extras',
      'ebooks/Novel.pdf',
      'ebooks/part-1.txt',
      'ebooks/part-2.txt',
      'ebooks/part-3.txt',
      'ebooks/part-4.txt',
      'ebooks/part-5.txt',
    ]);
    const calls = fake.requests.slice(before).map((r) => r.path);
    expect(calls.filter((p) => p === '/2/files/list_folder/continue')).toHaveLength(3);
  });

  it('stats a file with size, content hash and time', async () => {
    const entry = await make().stat('ebooks/novel.pdf');
    expect(entry).toMatchObject({
      ref: 'ebooks/Novel.pdf',
      name: 'Novel.pdf',
      kind: 'file',
      size: novel.length,
      contentType: 'application/pdf',
      checksum: `dropbox:${dropboxContentHash(novel)}`,
    });
    expect(entry.modifiedAt?.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('streams a whole file', async () => {
    const opened = await make().open('ebooks/Novel.pdf');
    expect(opened.size).toBe(novel.length);
    expect(opened.range).toBeUndefined();
    expect(sha256(await bytesOf(opened.stream))).toBe(sha256(novel));
  });

  it('streams an inclusive byte range with a Range header', async () => {
    const opened = await make().open('ebooks/Novel.pdf', { start: 4096, end: 300_000 });
    expect(fake.requests.at(-1)).toMatchObject({ path: '/2/files/download', range: 'bytes=4096-300000' });
    expect(opened.size).toBe(novel.length);
    expect(opened.range).toEqual({ start: 4096, end: 300_000 });
    expect(sha256(await bytesOf(opened.stream))).toBe(sha256(novel.subarray(4096, 300_001)));
  });

  it('refuses a range starting past the end', async () => {
    expect(await reasonOf(make().open('readme.txt', { start: 100, end: 200 }))).toBe('range_not_satisfiable');
  });

  it('accepts id refs inside the root and rejects ids elsewhere', async () => {
    const provider = make();
    expect((await provider.stat(ids.novel!)).ref).toBe('ebooks/Novel.pdf');
    const opened = await provider.open(ids.novel!, { start: 0, end: 99 });
    expect((await bytesOf(opened.stream)).equals(novel.subarray(0, 100))).toBe(true);
    expect(await reasonOf(provider.open(ids.other!))).toBe('outside_root');
    expect(await reasonOf(provider.open(ids.sibling!))).toBe('outside_root');
    expect(await reasonOf(provider.temporaryUrl(ids.sibling!, 60, 'x'))).toBe('outside_root');
    expect(await reasonOf(provider.open('id:../../x'))).toBe('outside_root');
  });

  it.each([
    '../Other/secret.txt',
    'ebooks/../../Shopping/secret.txt',
    '%2e%2e/Other/secret.txt',
    '/Other/secret.txt',
    '..\\Other',
  ])('rejects the foreign ref %s without asking Dropbox', async (ref) => {
    const before = fake.requests.length;
    expect(await reasonOf(make().open(ref))).toBe('outside_root');
    expect(await reasonOf(make().list(ref))).toBe('outside_root');
    expect(fake.requests.length).toBe(before);
  });

  it('maps path/not_found to not_found', async () => {
    const provider = make();
    expect(await reasonOf(provider.stat('nope.pdf'))).toBe('not_found');
    expect(await reasonOf(provider.open('nope.pdf'))).toBe('not_found');
    expect(await reasonOf(provider.list('nope'))).toBe('not_found');
    expect(await reasonOf(provider.temporaryUrl('nope.pdf', 60, 'nope.pdf'))).toBe('not_found');
    expect(await reasonOf(provider.open('ebooks'))).toBe('not_found');
  });

  it('returns a temporary link that serves the bytes, ranges included', async () => {
    const link = await make().temporaryUrl('ebooks/Novel.pdf', 300, 'ignored.pdf');
    expect(link.startsWith(fake.baseUrl)).toBe(true);
    const whole = await fetch(link);
    expect(whole.status).toBe(200);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(novel));
    const part = await fetch(link, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(novel.subarray(10, 20))).toBe(true);
  });

  it('refreshes on 401 expired_access_token, retries, and reports the new token', async () => {
    fake.expireAccessToken('fake-access-token');
    const provider = make();
    expect((await provider.list('')).length).toBe(2);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toMatchObject({ refreshToken: 'fake-refresh-token' });
    expect(refreshed[0]!.accessToken).toMatch(/^access-/);
    expect(refreshed[0]!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3 * 3600_000);
    // The new token is used from now on, for RPC and content calls alike.
    const opened = await provider.open('readme.txt');
    expect((await bytesOf(opened.stream)).toString()).toBe('hello buyer\n');
    expect(fake.requests.at(-1)!.authorization).toBe(`Bearer ${refreshed[0]!.accessToken}`);
    expect(refreshed).toHaveLength(1);
  });

  it('refreshes before use when the stored token has expired, once for concurrent calls', async () => {
    const provider = make({ accessToken: 'stale', accessTokenExpiresAt: new Date(Date.now() - 1000) });
    const before = fake.requests.length;
    await Promise.all([provider.stat('readme.txt'), provider.stat('ebooks'), provider.list('')]);
    expect(fake.requests.slice(before).filter((r) => r.path === '/oauth2/token')).toHaveLength(1);
    expect(fake.requests.slice(before).some((r) => r.authorization === 'Bearer stale')).toBe(false);
    expect(refreshed).toHaveLength(1);
  });

  it('maps a revoked refresh token or no usable token to unauthorized', async () => {
    const revoked = make({ accessToken: undefined, refreshToken: 'revoked' });
    expect(await reasonOf(revoked.list(''))).toBe('unauthorized');
    const bare = make({ accessToken: 'never-issued', refreshToken: undefined });
    expect(await reasonOf(bare.list(''))).toBe('unauthorized');
    const none = make({ accessToken: undefined, refreshToken: undefined });
    expect(await reasonOf(none.list(''))).toBe('unauthorized');
  });

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    fake.failNext({ status: 429, retryAfter: 3, path: '/2/files/get_metadata' });
    const provider = make({ accessToken: refreshedToken() });
    expect((await provider.stat('readme.txt')).size).toBe(12);
    expect(sleeps).toEqual([3000]);
  });

  it('retries a 5xx on download and gives up as unavailable when it persists', async () => {
    const provider = make({ accessToken: refreshedToken() });
    fake.failNext({ status: 503, path: '/2/files/download' });
    expect((await bytesOf((await provider.open('readme.txt')).stream)).toString()).toBe('hello buyer\n');
    fake.failNext({ status: 500, times: 3, path: '/2/files/list_folder' });
    expect(await reasonOf(provider.list(''))).toBe('unavailable');
    expect(sleeps).toEqual([250, 250, 500]);
  });

  it('maps a refused connection to unavailable', async () => {
    const port = await closedPort();
    const down = make({ apiBaseUrl: `http://127.0.0.1:${port}`, maxRetries: 1 });
    expect(await reasonOf(down.list(''))).toBe('unavailable');
    expect(await reasonOf(down.open('readme.txt'))).toBe('unavailable');
  });

  function refreshedToken(): string {
    // Earlier tests expired the seed token; any token the fake issued since is valid.
    const last = [...fake.requests].reverse().find((r) => r.authorization?.startsWith('Bearer access-'));
    return last!.authorization!.slice('Bearer '.length);
  }
});

describe('dropboxOAuth against the fake token endpoint', () => {
  let fake: FakeDropboxServer;

  beforeAll(async () => {
    fake = await startFakeDropbox();
  });

  afterAll(async () => {
    await fake?.close();
  });

  const flow = () =>
    dropboxOAuth({
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      redirectUri: 'https://hub.example/oauth/dropbox?x=1&y=2',
      tokenEndpoint: `${fake.baseUrl}/oauth2/token`,
    });

  it('builds an offline-access authorize URL with encoded parameters', () => {
    const url = new URL(flow().authorizeUrl({ state: 'st&ate=1' }));
    expect(url.origin + url.pathname).toBe('https://www.dropbox.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: fake.clientId,
      redirect_uri: 'https://hub.example/oauth/dropbox?x=1&y=2',
      response_type: 'code',
      state: 'st&ate=1',
      token_access_type: 'offline',
    });
  });

  it('exchanges a code for access and refresh tokens, once', async () => {
    const code = fake.issueAuthorizationCode('https://hub.example/oauth/dropbox?x=1&y=2');
    const tokens = await flow().exchangeCode(code);
    expect(tokens.accessToken).toMatch(/^access-/);
    expect(tokens.refreshToken).toMatch(/^refresh-/);
    expect(tokens.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3 * 3600_000);
    const again = await flow()
      .exchangeCode(code)
      .catch((error: unknown) => error);
    expect(again).toBeInstanceOf(OAuthError);
    expect((again as OAuthError).code).toBe('invalid_grant');
    expect((again as OAuthError).retryable).toBe(false);

    // The refresh token from the exchange works for the provider.
    const provider = new DropboxStorageProvider({
      root: '',
      refreshToken: tokens.refreshToken!,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      apiBaseUrl: fake.baseUrl,
    });
    expect(await provider.list('')).toEqual([]);
  });

  it('refuses a wrong client secret', async () => {
    const wrong = dropboxOAuth({
      clientId: fake.clientId,
      clientSecret: 'wrong',
      redirectUri: 'https://hub.example/cb',
      tokenEndpoint: `${fake.baseUrl}/oauth2/token`,
    });
    const error = await wrong.refresh('fake-refresh-token').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'invalid_client' });
  });
});
