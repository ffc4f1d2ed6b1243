import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { startAzurite, type RunningAzurite } from '@handoff/connectors/storage/azure-blob/testing/azurite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Merchant } from '../merchants/merchant.entity.js';
import { StorageConnection } from '../storage/storage-connection.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { DownloadEvent } from './download-event.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import { linkFor, seedDigitalOrder, sha256 } from './testing/download-fixture.js';

interface AzureSdk {
  BlobServiceClient: {
    fromConnectionString(s: string): {
      getContainerClient(name: string): {
        create(): Promise<unknown>;
        getBlockBlobClient(name: string): { upload(body: Buffer, length: number): Promise<unknown> };
      };
    };
  };
}

async function azureSdk(): Promise<AzureSdk> {
  const fromConnectors = createRequire(new URL('../../../connectors/package.json', import.meta.url));
  return (await import(pathToFileURL(fromConnectors.resolve('@azure/storage-blob')).href)) as AzureSdk;
}

describe('/d/:token with Azure Blob delivery by redirect (Azurite)', () => {
  let azurite: RunningAzurite;
  let api: TestApi;
  let merchantId: string;
  const body = Buffer.from('%PDF-1.7 Azure novel '.repeat(500));

  beforeAll(async () => {
    azurite = await startAzurite();
    const container = (await azureSdk()).BlobServiceClient.fromConnectionString(
      azurite.connectionString,
    ).getContainerClient('goods');
    await container.create();
    await container.getBlockBlobClient('shop/novel.pdf').upload(body, body.length);
    api = await startTestApi(inject('database'), { env: { DOWNLOAD_REDIRECT_TTL_SECONDS: '2' } });
    ({ merchantId } = await api.merchantWithKey('Azure shop'));
  });
  afterAll(async () => {
    await api?.close();
    await azurite?.close();
  });

  /** A grant of `limit` on the novel, in Azure storage delivered by redirect. */
  async function azureGrant(limit: number): Promise<string> {
    const em = api.orm.em.fork();
    const storage = em.create(StorageConnection, {
      merchant: em.getReference(Merchant, merchantId),
      kind: 'azure-blob',
      name: 'Azure',
      options: { container: 'goods', prefix: 'shop' },
      credentialsEncrypted: api.keyring.encryptJson({ connectionString: azurite.connectionString }),
      delivery: 'redirect',
    });
    await em.flush();
    const order = await seedDigitalOrder(api, em, {
      merchantId,
      root: '/nonexistent',
      storage,
      limit,
      files: [{ name: 'Roman – Teil 1.pdf', ref: 'novel.pdf' }],
    });
    return order.grantIds[0]![0]!;
  }

  it('302 to a SAS URL that downloads the file, counts one use, and stops working once expired', async () => {
    const grantId = await azureGrant(3);
    const res = await fetch(await linkFor(api, merchantId, grantId), { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const sas = res.headers.get('location')!;
    expect(sas.startsWith(`${azurite.blobEndpoint}/goods/shop/novel.pdf?`)).toBe(true);
    expect(new URL(sas).searchParams.get('sig')).toBeTruthy();
    expect((await api.orm.em.fork().findOneOrFail(DownloadGrant, { id: grantId })).used).toBe(1);

    const fetched = await fetch(sas);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-disposition')).toContain("filename*=UTF-8''Roman%20%E2%80%93%20Teil%201.pdf");
    expect(sha256(Buffer.from(await fetched.arrayBuffer()))).toBe(sha256(body));

    const event = await api.orm.em.fork().findOneOrFail(DownloadEvent, { grant: grantId });
    expect(event).toMatchObject({ outcome: 'SERVED', redirected: true });

    await new Promise((r) => setTimeout(r, 3500));
    const expired = await fetch(sas);
    expect(expired.status).toBe(403);
  });

  it('every SAS URL costs a use: a Range, garbage or HEAD request mints none for free', async () => {
    const grantId = await azureGrant(2);
    const url = await linkFor(api, merchantId, grantId);
    const asks: Record<string, string>[] = [
      {},
      { range: 'bytes=1-' },
      { range: 'bytes=0-' },
      { range: 'bytes=-10' },
      { range: 'garbage' },
      { range: 'bytes=0-0,1-1' },
      { range: 'bytes=1-', 'if-range': '"x"' },
    ];
    const heads = await Promise.all(asks.map((headers) => fetch(url, { method: 'HEAD', headers, redirect: 'manual' })));
    for (const head of heads) expect(head.headers.get('location')).toBeNull();
    const answers = await Promise.all(
      [...asks, ...asks, ...asks].map(async (headers) => {
        const res = await fetch(url, { headers, redirect: 'manual' });
        return { status: res.status, location: res.headers.get('location'), body: await res.text() };
      }),
    );
    const minted = answers.filter((a) => a.location !== null);
    expect(minted).toHaveLength(2);
    expect(minted.every((a) => a.status === 302)).toBe(true);
    for (const refused of answers.filter((a) => a.location === null)) {
      expect(refused.status).toBe(410);
      expect(JSON.parse(refused.body).error.code).toBe('LIMIT_REACHED');
    }
    expect((await api.orm.em.fork().findOneOrFail(DownloadGrant, { id: grantId })).used).toBe(2);
    const events = await api.orm.em.fork().find(DownloadEvent, { grant: grantId });
    expect(events.filter((e) => e.outcome === 'SERVED' && e.redirected)).toHaveLength(2);
    expect(events.filter((e) => e.outcome === 'RESUMED')).toHaveLength(0);
  });
});
