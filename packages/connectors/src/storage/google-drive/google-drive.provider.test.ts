import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OAuthError, type RefreshedCredentials } from '../oauth.js';
import { bytesOf, closedPort, md5Hex, reasonOf, sha256 } from '../testing/stream-helpers.js';
import { googleDriveOAuth } from './google-drive.oauth.js';
import type { GoogleDriveOptions } from './google-drive.options.js';
import { GoogleDriveStorageProvider } from './google-drive.provider.js';
import type { StorageProvider } from '../storage-provider.js';
import { startFakeDrive, type FakeDriveServer } from './testing/fake-drive-server.js';

describe('GoogleDriveStorageProvider against the fake Drive', () => {
  let fake: FakeDriveServer;
  const novel = randomBytes(500_000);
  const id: Record<string, string> = {};
  let sleeps: number[];
  let refreshed: RefreshedCredentials[];
  let token = 'fake-access-token';

  const make = (overrides: Partial<GoogleDriveOptions> = {}) =>
    new GoogleDriveStorageProvider(
      {
        rootFolderId: id.root!,
        clientId: fake.clientId,
        clientSecret: fake.clientSecret,
        refreshToken: 'fake-refresh-token',
        accessToken: token,
        apiBaseUrl: fake.baseUrl,
        tokenUrl: `${fake.baseUrl}/token`,
        pageSize: 2,
        ...overrides,
      },
      {
        sleep: async (ms) => void sleeps.push(ms),
        onCredentialsChanged: (next) => void refreshed.push(next),
      },
    );
  const requestsSince = (n: number) => fake.requests.slice(n);

  beforeAll(async () => {
    fake = await startFakeDrive();
    id.root = fake.addFolder('Shop', null);
    id.readme = fake.addFile('readme.txt', id.root, 'hello buyer\n', 'text/plain');
    id.doc = fake.addGoogleDoc('notes', id.root);
    id.trashed = fake.addFile('old.zip', id.root, 'old');
    fake.trash(id.trashed);
    id.ebooks = fake.addFolder('ebooks', id.root);
    id.novel = fake.addFile('novel.pdf', id.ebooks, novel, 'application/pdf');
    for (const n of [1, 2, 3, 4, 5]) fake.addFile(`part-${n}.txt`, id.ebooks, `part ${n}`);
    id.deep = fake.addFolder('deep', id.ebooks);
    id.deeper = fake.addFolder('deeper', id.deep);
    id.bonus = fake.addFile('bonus.bin', id.deeper, 'bonus bytes');
    id.other = fake.addFolder('Other', null);
    id.secret = fake.addFile('secret.txt', id.other, 'another tenant');
  });

  afterAll(async () => {
    await fake?.close();
  });

  beforeEach(() => {
    sleeps = [];
    refreshed = [];
  });

  it('lists the root folder across pages, without trashed files', async () => {
    const before = fake.requests.length;
    const entries = await make().list('');
    expect(entries.map((e) => [e.name, e.kind, e.ref])).toEqual([
      ['ebooks', 'folder', id.ebooks],
      ['notes', 'file', id.doc],
      ['readme.txt', 'file', id.readme],
    ]);
    const lists = requestsSince(before).filter((r) => r.path === '/drive/v3/files');
    expect(lists).toHaveLength(2);
    expect(lists[0]!.query.q).toBe(`'${id.root}' in parents and trashed = false`);
    expect(lists[1]!.query.pageToken).toBeTruthy();
  });

  it('lists a sub-folder by id', async () => {
    const entries = await make().list(id.ebooks!);
    expect(entries.map((e) => e.name)).toEqual([
      'deep',
      'novel.pdf',
      'part-1.txt',
      'part-2.txt',
      'part-3.txt',
      'part-4.txt',
      'part-5.txt',
    ]);
  });

  it('stats a file with size, md5 and type', async () => {
    const entry = await make().stat(id.novel!);
    expect(entry).toMatchObject({
      ref: id.novel,
      name: 'novel.pdf',
      kind: 'file',
      size: novel.length,
      contentType: 'application/pdf',
      checksum: `md5:${md5Hex(novel)}`,
    });
    expect(entry.modifiedAt?.toISOString()).toBe('2026-02-03T04:05:06.789Z');
  });

  it('streams a whole file', async () => {
    const opened = await make().open(id.novel!);
    expect(opened.size).toBe(novel.length);
    expect(sha256(await bytesOf(opened.stream))).toBe(sha256(novel));
  });

  it('streams an inclusive range with alt=media and a Range header', async () => {
    const opened = await make().open(id.novel!, { start: 777, end: 123_456 });
    const media = fake.requests.at(-1)!;
    expect(media).toMatchObject({ path: `/drive/v3/files/${id.novel}`, range: 'bytes=777-123456' });
    expect(media.query.alt).toBe('media');
    expect(opened.range).toEqual({ start: 777, end: 123_456 });
    expect(sha256(await bytesOf(opened.stream))).toBe(sha256(novel.subarray(777, 123_457)));
  });

  it('clamps a range past the end and refuses one starting past it', async () => {
    const opened = await make().open(id.readme!, { start: 6, end: 5000 });
    expect(opened.range).toEqual({ start: 6, end: 11 });
    expect((await bytesOf(opened.stream)).toString()).toBe('buyer\n');
    expect(await reasonOf(make().open(id.readme!, { start: 12, end: 20 }))).toBe('range_not_satisfiable');
  });

  it('confines a deep file by walking its parents, then trusts the cache', async () => {
    const provider = make();
    let before = fake.requests.length;
    expect((await provider.stat(id.bonus!)).name).toBe('bonus.bin');
    expect(requestsSince(before).map((r) => r.path)).toEqual(
      [id.bonus, id.deeper, id.deep, id.ebooks].map((x) => `/drive/v3/files/${x}`),
    );
    before = fake.requests.length;
    expect((await bytesOf((await provider.open(id.bonus!)).stream)).toString()).toBe('bonus bytes');
    expect(requestsSince(before)).toHaveLength(2); // metadata + media, no walk
  });

  it('rejects files outside the root folder', async () => {
    const provider = make();
    expect(await reasonOf(provider.open(id.secret!))).toBe('outside_root');
    expect(await reasonOf(provider.list(id.other!))).toBe('outside_root');
  });

  it.each(['../x', "x' in parents or 'y", '/etc/passwd', 'a/b', '%2e%2e'])(
    'rejects the malformed ref %j without a request',
    async (ref) => {
      const before = fake.requests.length;
      expect(await reasonOf(make().open(ref))).toBe('outside_root');
      expect(fake.requests.length).toBe(before);
    },
  );

  it('maps missing, trashed, Docs-native and folder refs to not_found', async () => {
    const provider = make();
    expect(await reasonOf(provider.stat('doesNotExist123'))).toBe('not_found');
    expect(await reasonOf(provider.open(id.trashed!))).toBe('not_found');
    expect(await reasonOf(provider.open(id.doc!))).toBe('not_found');
    expect(await reasonOf(provider.open(id.ebooks!))).toBe('not_found');
    expect(await reasonOf(provider.list(id.readme!))).toBe('not_found');
  });

  it('has no temporaryUrl (the hub streams Drive files)', () => {
    const provider: StorageProvider = make();
    expect(provider.temporaryUrl).toBeUndefined();
  });

  it('refreshes once on 401, retries, and reports the new token', async () => {
    fake.revokeAccessToken('fake-access-token');
    const provider = make({ accessTokenExpiresAt: new Date(Date.now() + 3600_000) });
    expect((await provider.stat(id.readme!)).size).toBe(12);
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]!.accessToken).toMatch(/^ya29\.fake-/);
    expect(refreshed[0]!.refreshToken).toBe('fake-refresh-token');
    expect(refreshed[0]!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    token = refreshed[0]!.accessToken;
    const before = fake.requests.length;
    await provider.stat(id.novel!);
    expect(requestsSince(before).every((r) => r.authorization === `Bearer ${token}`)).toBe(true);
  });

  it('gets a token before the first call when it has none', async () => {
    const before = fake.requests.length;
    await make({ accessToken: undefined }).stat(id.readme!);
    expect(requestsSince(before)[0]!.path).toBe('/token');
    expect(refreshed).toHaveLength(1);
  });

  it('maps a revoked refresh token to unauthorized', async () => {
    const revoked = make({ accessToken: undefined, refreshToken: 'revoked' });
    expect(await reasonOf(revoked.stat(id.readme!))).toBe('unauthorized');
  });

  it('waits out 429 Retry-After and rate-limit 403s without refreshing the token', async () => {
    const provider = make();
    fake.failNext({ status: 429, retryAfter: 2, path: '/drive/v3/files' });
    fake.failNext({ status: 403, reason: 'userRateLimitExceeded', path: '/drive/v3/files' });
    const before = fake.requests.length;
    expect((await provider.stat(id.readme!)).name).toBe('readme.txt');
    expect(sleeps).toEqual([2000, 500]);
    expect(requestsSince(before).some((r) => r.path === '/token')).toBe(false);
  });

  it('gives up on a persistent 5xx as unavailable', async () => {
    fake.failNext({ status: 503, times: 3, path: '/drive/v3/files' });
    expect(await reasonOf(make().stat(id.readme!))).toBe('unavailable');
    expect(sleeps).toEqual([250, 500]);
  });

  it('maps a refused connection to unavailable', async () => {
    const port = await closedPort();
    const down = make({ apiBaseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    expect(await reasonOf(down.list(''))).toBe('unavailable');
  });
});

describe('googleDriveOAuth against the fake token endpoint', () => {
  let fake: FakeDriveServer;

  beforeAll(async () => {
    fake = await startFakeDrive();
  });

  afterAll(async () => {
    await fake?.close();
  });

  const flow = () =>
    googleDriveOAuth({
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      redirectUri: 'http://127.0.0.1:3000/oauth/google',
      tokenEndpoint: `${fake.baseUrl}/token`,
    });

  it('asks for offline, read-only Drive access with consent', () => {
    const url = new URL(flow().authorizeUrl({ state: 'csrf-123' }));
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(url.searchParams.get('scope')).toBe('https://www.googleapis.com/auth/drive.readonly');
    expect(url.searchParams.get('access_type')).toBe('offline');
    expect(url.searchParams.get('prompt')).toBe('consent');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('state')).toBe('csrf-123');
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:3000/oauth/google');
  });

  it('exchanges a code for tokens the provider can use', async () => {
    const tokens = await flow().exchangeCode(fake.issueAuthorizationCode('http://127.0.0.1:3000/oauth/google'));
    expect(tokens.refreshToken).toMatch(/^1\/\/fake-refresh-/);
    expect(tokens.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    const root = fake.addFolder('Mine', null);
    fake.addFile('a.txt', root, 'a');
    const provider = new GoogleDriveStorageProvider({
      rootFolderId: root,
      clientId: fake.clientId,
      clientSecret: fake.clientSecret,
      refreshToken: tokens.refreshToken!,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.expiresAt,
      apiBaseUrl: fake.baseUrl,
      tokenUrl: `${fake.baseUrl}/token`,
    });
    expect((await provider.list('')).map((e) => e.name)).toEqual(['a.txt']);
  });

  it('reports a redirect mismatch as a non-retryable invalid_grant', async () => {
    const code = fake.issueAuthorizationCode('http://elsewhere/cb');
    const error = await flow()
      .exchangeCode(code)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_grant', retryable: false });
  });
});
