import { FakeDropboxServer } from '@handoff/connectors/storage/dropbox/testing/fake-dropbox-server';
import {
  startFakeDrive,
  type FakeDriveServer,
} from '@handoff/connectors/storage/google-drive/testing/fake-drive-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import type { StorageCredentials } from './storage-providers.js';
import { StorageConnection } from './storage-connection.entity.js';

interface Payload {
  userErrors: { code: string; field: string[] | null; message: string }[];
}

const START = `mutation($kind: OAuthStorageKind!, $name: String!, $root: String) {
  startOAuthStorage(kind: $kind, name: $name, root: $root) {
    authorizeUrl
    storageConnection { id status kind root }
    userErrors { field message code }
  }
}`;
const LINK = `mutation($p: ID!, $s: ID!, $refs: [String!]!) {
  linkProductFiles(productId: $p, storageConnectionId: $s, refs: $refs) {
    files { id ref displayName size checksum contentType }
    userErrors { code field message }
  }
}`;
const BROWSE = `query($id: ID!, $f: String) { storageConnection(id: $id) { status browse(folder: $f) { ref name kind size } } }`;

class TestClock {
  current = new Date('2026-03-01T10:00:00Z');
  now = () => new Date(this.current);
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

describe('OAuth storage: Dropbox and Google Drive against their fakes', () => {
  let dropbox: FakeDropboxServer;
  let drive: FakeDriveServer;
  let api: TestApi;
  let key: string;
  let merchantId: string;
  let other: { merchantId: string; apiKey: string };
  let productId: string;
  let dropboxId: string;
  const clock = new TestClock();
  let driveRoot: string;
  let driveFile: string;
  let driveOutside: string;

  beforeAll(async () => {
    dropbox = await new FakeDropboxServer().start();
    dropbox.addFile('/Shop/ebooks/novel.pdf', 'Dropbox novel bytes');
    dropbox.addFile('/Shop/song.mp3', Buffer.alloc(300, 1));
    dropbox.addFile('/Private/secret.txt', 'secret');
    drive = await startFakeDrive();
    driveRoot = drive.addFolder('Shop', null);
    driveFile = drive.addFile('guide.pdf', driveRoot, 'Drive guide bytes', 'application/pdf');
    driveOutside = drive.addFile('tax.pdf', drive.addFolder('Private', null), 'private', 'application/pdf');
    api = await startTestApi(inject('database'), {
      clock,
      env: {
        CONSOLE_URL: 'http://console.test/merchant',
        DROPBOX_CLIENT_ID: dropbox.clientId,
        DROPBOX_CLIENT_SECRET: dropbox.clientSecret,
        DROPBOX_API_URL: dropbox.baseUrl,
        DROPBOX_AUTHORIZE_URL: `${dropbox.baseUrl}/oauth2/authorize`,
        GOOGLE_CLIENT_ID: drive.clientId,
        GOOGLE_CLIENT_SECRET: drive.clientSecret,
        GOOGLE_AUTHORIZE_URL: `${drive.baseUrl}/o/oauth2/v2/auth`,
        GOOGLE_TOKEN_URL: `${drive.baseUrl}/token`,
        GOOGLE_DRIVE_API_URL: drive.baseUrl,
      },
    });
    ({ apiKey: key, merchantId } = await api.merchantWithKey('OAuth shop'));
    other = await api.merchantWithKey('Other shop');
    const product = await api.gql<{ createProduct: { product: { id: string } } }>(
      `mutation { createProduct(input: { sku: "OA-1", name: "OAuth", digital: true }) { product { id } } }`,
      {},
      key,
    );
    productId = product.data!.createProduct.product.id;
  });

  afterAll(async () => {
    await api?.close();
    await dropbox?.close();
    await drive?.close();
  });

  async function start(kind: 'DROPBOX' | 'GOOGLE_DRIVE', root: string, apiKey = key) {
    const res = await api.gql<{
      startOAuthStorage: Payload & { authorizeUrl: string; storageConnection: { id: string; status: string } };
    }>(START, { kind, name: `${kind} files`, root }, apiKey);
    return res.data!.startOAuthStorage;
  }

  const callback = (params: Record<string, string>) =>
    fetch(`${api.url}/oauth/storage/callback?${new URLSearchParams(params)}`, { redirect: 'manual' });

  const stored = async (id: string) => {
    const row = await api.orm.em
      .fork()
      .findOneOrFail(StorageConnection, { id }, { populate: ['credentialsEncrypted'], refresh: true });
    return {
      row,
      credentials: row.credentialsEncrypted
        ? api.keyring.decryptJson<StorageCredentials>(row.credentialsEncrypted)
        : null,
    };
  };

  it('connects Dropbox end to end: authorize URL, consent, callback, sealed tokens', async () => {
    const started = await start('DROPBOX', '/Shop');
    expect(started.userErrors).toEqual([]);
    expect(started.storageConnection.status).toBe('pending_authorization');
    const authorize = new URL(started.authorizeUrl);
    expect(authorize.origin + authorize.pathname).toBe(`${dropbox.baseUrl}/oauth2/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(dropbox.clientId);
    expect(authorize.searchParams.get('token_access_type')).toBe('offline');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/\/oauth\/storage\/callback$/);
    const state = authorize.searchParams.get('state')!;
    const code = dropbox.issueAuthorizationCode(authorize.searchParams.get('redirect_uri')!);

    const res = await callback({ code, state });
    expect(res.status).toBe(302);
    dropboxId = started.storageConnection.id;
    expect(res.headers.get('location')).toBe(`http://console.test/merchant?storage=${dropboxId}`);

    const { row, credentials } = await stored(dropboxId);
    expect(row.status).toBe('connected');
    expect(row.options).toEqual({ root: 'Shop' });
    expect(credentials!.accessToken).toMatch(/^access-/);
    expect(credentials!.refreshToken).toMatch(/^refresh-/);
    expect(row.credentialsEncrypted).not.toContain(credentials!.accessToken!);
    expect(row.credentialsEncrypted).not.toContain(credentials!.refreshToken!);

    // The same state again: refused, nothing changes.
    const replay = await callback({
      code: dropbox.issueAuthorizationCode(authorize.searchParams.get('redirect_uri')!),
      state,
    });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('Storage not connected');
    expect((await stored(dropboxId)).row.credentialsEncrypted).toBe(row.credentialsEncrypted);
  });

  it('refuses tampered, expired, foreign-signed and junk states, storing nothing', async () => {
    const started = await start('DROPBOX', '/Shop');
    const authorize = new URL(started.authorizeUrl);
    const state = authorize.searchParams.get('state')!;
    const redirectUri = authorize.searchParams.get('redirect_uri')!;
    const [body, sig] = state.split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const otherMerchantBody = Buffer.from(JSON.stringify({ ...decoded, m: other.merchantId })).toString('base64url');
    const flipped = sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A');
    for (const bad of [`${otherMerchantBody}.${sig}`, `${body}.${flipped}`, `${body}.`, body, 'x'.repeat(10_000), '']) {
      const res = await callback({ code: dropbox.issueAuthorizationCode(redirectUri), state: bad });
      expect(res.status, bad.slice(0, 40)).toBe(400);
    }
    clock.advance(15 * 60_000 + 1000);
    const expired = await callback({ code: dropbox.issueAuthorizationCode(redirectUri), state });
    expect(expired.status).toBe(400);
    const { row, credentials } = await stored(started.storageConnection.id);
    expect(row.status).toBe('pending_authorization');
    expect(credentials).toBeNull();
    // A pending connection cannot serve files.
    await expect(
      api.services.storage.providerFor(api.orm.em.fork(), merchantId, started.storageConnection.id),
    ).rejects.toMatchObject({ reason: 'unauthorized' });
    const denied = await callback({ error: 'access_denied', state });
    expect(denied.status).toBe(400);
  });

  it('a refused code consumes the state and stores nothing', async () => {
    const started = await start('DROPBOX', '');
    const state = new URL(started.authorizeUrl).searchParams.get('state')!;
    const res = await callback({ code: 'never-issued', state });
    expect(res.status).toBe(400);
    expect((await stored(started.storageConnection.id)).credentials).toBeNull();
  });

  it('browses and links Dropbox files inside the root only', async () => {
    const browse = await api.gql<{ storageConnection: { browse: { ref: string }[] } }>(BROWSE, { id: dropboxId }, key);
    expect(browse.errors).toBeUndefined();
    expect(browse.data!.storageConnection.browse.map((e) => e.ref)).toEqual(['ebooks', 'song.mp3']);
    const linked = await api.gql<{ linkProductFiles: Payload & { files: Record<string, unknown>[] } }>(
      LINK,
      { p: productId, s: dropboxId, refs: ['ebooks/novel.pdf'] },
      key,
    );
    expect(linked.data!.linkProductFiles.userErrors).toEqual([]);
    expect(linked.data!.linkProductFiles.files[0]).toMatchObject({ size: 19, contentType: 'application/pdf' });
    expect(linked.data!.linkProductFiles.files[0]!.checksum).toMatch(/^dropbox:[0-9a-f]{64}$/);
    const privateId = dropbox.addFile('/Private/other.txt', 'x');
    for (const bad of ['../Private/secret.txt', '%2e%2e%2fPrivate/secret.txt', '/etc/passwd', privateId]) {
      const res = await api.gql<{ linkProductFiles: Payload }>(LINK, { p: productId, s: dropboxId, refs: [bad] }, key);
      expect(res.data!.linkProductFiles.userErrors[0], bad).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
    const foreign = await api.gql<{ linkProductFiles: Payload }>(
      LINK,
      { p: productId, s: dropboxId, refs: ['song.mp3'] },
      other.apiKey,
    );
    expect(foreign.data!.linkProductFiles.userErrors[0]!.code).toBe('NOT_FOUND');
    const { provider } = await api.services.storage.providerFor(api.orm.em.fork(), merchantId, dropboxId);
    const link = await provider.temporaryUrl!('ebooks/novel.pdf', 60, 'novel.pdf');
    expect(await (await fetch(link)).text()).toBe('Dropbox novel bytes');
  });

  it('stores the refreshed access token after expiry, sealed', async () => {
    const before = (await stored(dropboxId)).credentials!;
    dropbox.expireAccessToken(before.accessToken!);
    const browse = await api.gql<{ storageConnection: { browse: unknown[] } }>(BROWSE, { id: dropboxId }, key);
    expect(browse.errors).toBeUndefined();
    const after = (await stored(dropboxId)).credentials!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.accessToken).toMatch(/^access-/);
    expect(after.refreshToken).toBe(before.refreshToken);
    expect(dropbox.requests.some((r) => r.path === '/oauth2/token')).toBe(true);
  });

  it('marks a connection whose credentials are refused as needs_reconnect', async () => {
    const em = api.orm.em.fork();
    await em.nativeUpdate(
      StorageConnection,
      { id: dropboxId },
      { credentialsEncrypted: api.keyring.encryptJson({ accessToken: 'revoked' }) },
    );
    const browse = await api.gql(BROWSE, { id: dropboxId }, key);
    expect(browse.errors?.[0]?.extensions?.code).toBe('STORAGE_UNAUTHORIZED');
    expect((await stored(dropboxId)).row.status).toBe('needs_reconnect');
  });

  it('reports a storage outage as STORAGE_UNAVAILABLE', async () => {
    const started = await start('DROPBOX', '/Shop');
    const authorize = new URL(started.authorizeUrl);
    const code = dropbox.issueAuthorizationCode(authorize.searchParams.get('redirect_uri')!);
    expect((await callback({ code, state: authorize.searchParams.get('state')! })).status).toBe(302);
    dropbox.failNext({ status: 503, times: 10, path: '/2/files/list_folder' });
    const browse = await api.gql(BROWSE, { id: started.storageConnection.id }, key);
    expect(browse.errors?.[0]?.extensions?.code).toBe('STORAGE_UNAVAILABLE');
    expect((await stored(started.storageConnection.id)).row.status).toBe('connected');
  });

  it('connects Google Drive through the same callback, then browses and links by file id', async () => {
    const started = await start('GOOGLE_DRIVE', driveRoot);
    expect(started.userErrors).toEqual([]);
    const authorize = new URL(started.authorizeUrl);
    expect(authorize.searchParams.get('access_type')).toBe('offline');
    const code = drive.issueAuthorizationCode(authorize.searchParams.get('redirect_uri')!);
    const res = await callback({ code, state: authorize.searchParams.get('state')! });
    expect(res.status).toBe(302);
    const id = started.storageConnection.id;
    expect((await stored(id)).credentials!.refreshToken).toBeTruthy();

    const browse = await api.gql<{ storageConnection: { browse: { ref: string; name: string }[] } }>(
      BROWSE,
      { id },
      key,
    );
    expect(browse.errors).toBeUndefined();
    expect(browse.data!.storageConnection.browse).toMatchObject([{ ref: driveFile, name: 'guide.pdf' }]);
    const linked = await api.gql<{ linkProductFiles: Payload & { files: Record<string, unknown>[] } }>(
      LINK,
      { p: productId, s: id, refs: [driveFile] },
      key,
    );
    expect(linked.data!.linkProductFiles.userErrors).toEqual([]);
    expect(linked.data!.linkProductFiles.files[0]).toMatchObject({
      ref: driveFile,
      displayName: 'guide.pdf',
      size: 17,
      contentType: 'application/pdf',
    });
    for (const bad of [driveOutside, '../x', '%2e%2e%2f', '/etc/passwd']) {
      const refused = await api.gql<{ linkProductFiles: Payload }>(LINK, { p: productId, s: id, refs: [bad] }, key);
      expect(refused.data!.linkProductFiles.userErrors[0], bad).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
    const browseOut = await api.gql(BROWSE, { id, f: drive.addFolder('Elsewhere', null) }, key);
    expect(browseOut.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('validates roots and tells when an OAuth app is not configured', async () => {
    const badDropbox = await start('DROPBOX', '../etc');
    expect(badDropbox.userErrors[0]!.code).toBe('BAD_USER_INPUT');
    const badDrive = await start('GOOGLE_DRIVE', '../etc');
    expect(badDrive.userErrors[0]!.code).toBe('BAD_USER_INPUT');
    const unconfigured = await startTestApi(inject('database'));
    try {
      const { apiKey } = await unconfigured.merchantWithKey();
      const res = await unconfigured.gql<{ startOAuthStorage: Payload }>(
        START,
        { kind: 'DROPBOX', name: 'x', root: '' },
        apiKey,
      );
      expect(res.data!.startOAuthStorage.userErrors[0]!.code).toBe('NOT_CONFIGURED');
    } finally {
      await unconfigured.close();
    }
  });
});
