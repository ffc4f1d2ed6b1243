import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../content-disposition.js';
import { bytesOf, closedPort, md5Hex, reasonOf, sha256 } from '../testing/stream-helpers.js';
import { AzureBlobStorageProvider } from './azure-blob.provider.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type RunningAzurite } from './testing/azurite.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';
import { listenOnLoopback } from '../../testing/loopback-server.js';
import type { OutboundPolicy } from '../../net/outbound-policy.js';

describe('AzureBlobStorageProvider against Azurite', () => {
  let azurite: RunningAzurite;
  let container: ContainerClient;
  let provider: AzureBlobStorageProvider;
  const novel = randomBytes(400_000);

  const upload = (name: string, data: Buffer | string, contentType?: string) =>
    container.getBlockBlobClient(name).uploadData(Buffer.from(data), {
      blobHTTPHeaders: contentType ? { blobContentType: contentType } : undefined,
    });

  beforeAll(async () => {
    azurite = await startAzurite();
    container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('goods');
    await container.create();
    await upload('shop/readme.txt', 'hello buyer\n', 'text/plain');
    await upload('shop/ebooks/novel.pdf', novel, 'application/pdf');
    for (const n of [1, 2, 3, 4, 5]) await upload(`shop/ebooks/part-${n}.txt`, `part ${n}`);
    await upload('shop/ebooks/extras/bonus.zip', 'zip');
    await upload('other/secret.txt', 'another tenant');
    await upload('shopping/secret.txt', 'a sibling prefix');
    provider = new AzureBlobStorageProvider({
      outbound: LOOPBACK_FAKES,
      connectionString: azurite.connectionString,
      container: 'goods',
      prefix: 'shop',
      pageSize: 2,
    });
  });

  afterAll(async () => {
    await azurite?.close();
  });

  it('lists the root prefix only', async () => {
    const entries = await provider.list('');
    expect(entries.map((e) => [e.ref, e.kind])).toEqual([
      ['ebooks', 'folder'],
      ['readme.txt', 'file'],
    ]);
  });

  it('follows continuation tokens across several pages', async () => {
    const entries = await provider.list('ebooks');
    expect(entries.map((e) => e.ref)).toEqual([
      'ebooks/extras',
      'ebooks/novel.pdf',
      'ebooks/part-1.txt',
      'ebooks/part-2.txt',
      'ebooks/part-3.txt',
      'ebooks/part-4.txt',
      'ebooks/part-5.txt',
    ]);
    expect(entries.find((e) => e.ref === 'ebooks/part-3.txt')).toMatchObject({ name: 'part-3.txt', size: 6 });
  });

  it('stats a blob with size, type and md5 checksum', async () => {
    const entry = await provider.stat('ebooks/novel.pdf');
    expect(entry).toMatchObject({
      ref: 'ebooks/novel.pdf',
      name: 'novel.pdf',
      kind: 'file',
      size: novel.length,
      contentType: 'application/pdf',
      checksum: `md5:${md5Hex(novel)}`,
    });
    expect(entry.modifiedAt).toBeInstanceOf(Date);
  });

  it('stats a virtual folder', async () => {
    expect(await provider.stat('ebooks/extras')).toMatchObject({ kind: 'folder', ref: 'ebooks/extras' });
  });

  it('downloads a whole blob', async () => {
    const opened = await provider.open('ebooks/novel.pdf');
    expect(opened.size).toBe(novel.length);
    expect(opened.contentType).toBe('application/pdf');
    expect(sha256(await bytesOf(opened.stream))).toBe(sha256(novel));
  });

  it('downloads an inclusive byte range', async () => {
    const opened = await provider.open('ebooks/novel.pdf', { start: 12_345, end: 212_344 });
    expect(opened.size).toBe(novel.length);
    expect(opened.range).toEqual({ start: 12_345, end: 212_344 });
    expect(sha256(await bytesOf(opened.stream))).toBe(sha256(novel.subarray(12_345, 212_345)));
  });

  it('clamps a range past the end and refuses one starting past it', async () => {
    const opened = await provider.open('readme.txt', { start: 6, end: 999 });
    expect(opened.range).toEqual({ start: 6, end: 11 });
    expect((await bytesOf(opened.stream)).toString()).toBe('buyer\n');
    expect(await reasonOf(provider.open('readme.txt', { start: 50, end: 60 }))).toBe('range_not_satisfiable');
  });

  it.each([
    '../other/secret.txt',
    'ebooks/../../other/secret.txt',
    '%2e%2e/other/secret.txt',
    '/other/secret.txt',
    '..%2fshopping%2fsecret.txt',
  ])('rejects the foreign ref %s', async (ref) => {
    expect(await reasonOf(provider.open(ref))).toBe('outside_root');
    expect(await reasonOf(provider.temporaryUrl(ref, 60, 'x.txt'))).toBe('outside_root');
  });

  it('maps missing blobs and folders to not_found', async () => {
    expect(await reasonOf(provider.stat('nope.pdf'))).toBe('not_found');
    expect(await reasonOf(provider.open('nope.pdf'))).toBe('not_found');
    expect(await reasonOf(provider.list('nope'))).toBe('not_found');
    expect(await reasonOf(provider.temporaryUrl('nope.pdf', 60, 'nope.pdf'))).toBe('not_found');
  });

  it('mints a read-only SAS URL that plain fetch downloads as an attachment', async () => {
    const url = new URL(await provider.temporaryUrl('ebooks/novel.pdf', 300, 'Roman – Teil 1.pdf'));
    expect(url.searchParams.get('sp')).toBe('r');
    expect(url.searchParams.has('st')).toBe(false);
    const expiry = Date.parse(url.searchParams.get('se')!);
    expect(expiry).toBeGreaterThan(Date.now() + 290_000);
    expect(expiry).toBeLessThan(Date.now() + 310_000);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(attachmentDisposition('Roman – Teil 1.pdf'));
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(novel));

    const ranged = await fetch(url, { headers: { Range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(novel.subarray(100, 200))).toBe(true);
  });

  it('a SAS URL cannot be widened to another blob or to writing', async () => {
    const url = new URL(await provider.temporaryUrl('readme.txt', 300, 'readme.txt'));
    const other = new URL(url);
    other.pathname = url.pathname.replace('shop/readme.txt', 'other/secret.txt');
    expect((await fetch(other)).status).toBe(403);
    const write = await fetch(url, { method: 'PUT', body: 'x', headers: { 'x-ms-blob-type': 'BlockBlob' } });
    expect(write.status).toBe(403);
  });

  it('an expired SAS URL is refused', async () => {
    const url = await provider.temporaryUrl('readme.txt', 1, 'readme.txt');
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await fetch(url)).status).toBe(403);
  });

  it('connects with account name, key and endpoint', async () => {
    const byKey = new AzureBlobStorageProvider({
      outbound: LOOPBACK_FAKES,
      accountName: AZURITE_ACCOUNT,
      accountKey: AZURITE_KEY,
      endpoint: azurite.blobEndpoint,
      container: 'goods',
    });
    expect((await byKey.list('')).map((e) => e.ref)).toEqual(['other', 'shop', 'shopping']);
    expect(await byKey.temporaryUrl('shop/readme.txt', 60, 'r.txt')).toContain('sig=');
  });

  it('maps a wrong key to unauthorized', async () => {
    const wrong = new AzureBlobStorageProvider({
      outbound: LOOPBACK_FAKES,
      accountName: AZURITE_ACCOUNT,
      accountKey: Buffer.from('not the key').toString('base64'),
      endpoint: azurite.blobEndpoint,
      container: 'goods',
      maxTries: 1,
    });
    expect(await reasonOf(wrong.stat('shop/readme.txt'))).toBe('unauthorized');
  });

  it('maps a refused connection to unavailable', async () => {
    const port = await closedPort();
    const down = new AzureBlobStorageProvider({
      outbound: LOOPBACK_FAKES,
      accountName: AZURITE_ACCOUNT,
      accountKey: AZURITE_KEY,
      endpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
      container: 'goods',
      maxTries: 1,
    });
    expect(await reasonOf(down.list(''))).toBe('unavailable');
    expect(await reasonOf(down.open('readme.txt'))).toBe('unavailable');
  });

  it('refuses a plain-http or private endpoint before any request when private hosts are not allowed', async () => {
    const strict = new AzureBlobStorageProvider({
      connectionString: azurite.connectionString,
      container: 'goods',
      maxTries: 1,
    });
    const error = await strict.list('').catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'unavailable' });
    expect((error as Error).message).toMatch(/Azure endpoint refused/);
    expect(await reasonOf(strict.open('shop/readme.txt'))).toBe('unavailable');
    expect(await reasonOf(strict.temporaryUrl('shop/readme.txt', 60, 'readme.txt'))).toBe('unavailable');
  });

  it('connects only to the address the policy checked: a name that rebinds to loopback is never reached', async () => {
    // Counts TCP connections, so even a TLS handshake that would fail counts as reached.
    let connections = 0;
    const listener: Server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as { port: number };
    // The check sees a public address; every later lookup (the socket's) answers loopback.
    let lookups = 0;
    const rebinding: OutboundPolicy = {
      allowPrivateHosts: false,
      resolve: async () => [{ address: lookups++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }],
    };
    try {
      const rebound = new AzureBlobStorageProvider({
        outbound: rebinding,
        accountName: AZURITE_ACCOUNT,
        accountKey: AZURITE_KEY,
        // `localhost` is loopback in the system's DNS too: an unpinned socket would connect.
        endpoint: `https://localhost:${port}/${AZURITE_ACCOUNT}`,
        container: 'goods',
        maxTries: 1,
      });
      expect(await reasonOf(rebound.stat('readme.txt'))).toBe('unavailable');
      expect(connections).toBe(0);
      expect(lookups).toBeGreaterThan(1);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  it('follows no redirect, to another origin or to its own', async () => {
    const hits: string[] = [];
    const landing = await listenOnLoopback((req, res) => {
      hits.push(`landing ${req.url}`);
      res.writeHead(200).end();
    });
    const redirecting = await listenOnLoopback((req, res) => {
      hits.push(`endpoint ${req.url?.split('?')[0]}`);
      if (req.url?.startsWith('/same')) res.writeHead(200).end();
      else if (req.url?.includes('/goods/own')) res.writeHead(302, { location: '/same' }).end();
      else res.writeHead(302, { location: `${landing.url}/stolen` }).end();
    });
    try {
      const provider = new AzureBlobStorageProvider({
        outbound: LOOPBACK_FAKES,
        accountName: AZURITE_ACCOUNT,
        accountKey: AZURITE_KEY,
        endpoint: `${redirecting.url}/${AZURITE_ACCOUNT}`,
        container: 'goods',
        maxTries: 1,
      });
      expect(await reasonOf(provider.open('other.txt'))).toBe('unavailable');
      expect(await reasonOf(provider.open('own.txt'))).toBe('unavailable');
      expect(hits).toEqual([
        `endpoint /${AZURITE_ACCOUNT}/goods/other.txt`,
        `endpoint /${AZURITE_ACCOUNT}/goods/own.txt`,
      ]);
    } finally {
      await landing.close();
      await redirecting.close();
    }
  });
});
