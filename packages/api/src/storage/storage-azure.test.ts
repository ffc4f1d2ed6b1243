import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { startAzurite, type RunningAzurite } from '@handoff/connectors/storage/azure-blob/testing/azurite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { StorageConnection } from './storage-connection.entity.js';

/** The slice of @azure/storage-blob used to seed Azurite (a dependency of connectors, not of the API). */
interface AzureSdk {
  BlobServiceClient: {
    fromConnectionString(s: string): {
      getContainerClient(name: string): {
        create(): Promise<unknown>;
        getBlockBlobClient(name: string): {
          upload(body: Buffer, length: number, options?: Record<string, unknown>): Promise<unknown>;
        };
      };
    };
  };
}

async function azureSdk(): Promise<AzureSdk> {
  const fromConnectors = createRequire(new URL('../../../connectors/package.json', import.meta.url));
  return (await import(pathToFileURL(fromConnectors.resolve('@azure/storage-blob')).href)) as AzureSdk;
}

interface Payload {
  userErrors: { code: string; field: string[] | null; message: string }[];
}

const CONNECT = `mutation($name: String!, $input: ConnectAzureStorageInput!, $delivery: String) {
  connectAzureStorage(name: $name, input: $input, delivery: $delivery) {
    storageConnection { id kind root delivery status }
    userErrors { field message code }
  }
}`;

describe('Azure Blob storage connections (Azurite)', () => {
  let azurite: RunningAzurite;
  let api: TestApi;
  let key: string;
  let merchantId: string;
  let storageId: string;
  let productId: string;
  const pdf = Buffer.from('%PDF-1.7 azure bytes '.repeat(100));

  beforeAll(async () => {
    azurite = await startAzurite();
    const sdk = await azureSdk();
    const container = sdk.BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('goods');
    await container.create();
    await container
      .getBlockBlobClient('shop/ebooks/novel.pdf')
      .upload(pdf, pdf.length, { blobHTTPHeaders: { blobContentType: 'application/pdf' } });
    await container.getBlockBlobClient('private/secret.txt').upload(Buffer.from('secret'), 6);
    api = await startTestApi(inject('database'));
    ({ apiKey: key, merchantId } = await api.merchantWithKey('Azure shop'));
    const product = await api.gql<{ createProduct: { product: { id: string } } }>(
      `mutation { createProduct(input: { sku: "AZ-1", name: "Azure", digital: true }) { product { id } } }`,
      {},
      key,
    );
    productId = product.data!.createProduct.product.id;
  });

  afterAll(async () => {
    await api?.close();
    await azurite?.close();
  });

  it('refuses credentials Azure rejects and a container that does not exist, storing nothing', async () => {
    const badKey = azurite.connectionString.replace(
      /AccountKey=[^;]+/,
      `AccountKey=${Buffer.alloc(64).toString('base64')}`,
    );
    const refused = await api.gql<{ connectAzureStorage: Payload }>(
      CONNECT,
      { name: 'Bad', input: { connectionString: badKey, container: 'goods' } },
      key,
    );
    expect(refused.data!.connectAzureStorage.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT' });
    const missing = await api.gql<{ connectAzureStorage: Payload }>(
      CONNECT,
      { name: 'Missing', input: { connectionString: azurite.connectionString, container: 'nope' } },
      key,
    );
    expect(missing.data!.connectAzureStorage.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['container'],
    });
    const both = await api.gql<{ connectAzureStorage: Payload }>(
      CONNECT,
      { name: 'Both', input: { container: 'goods' } },
      key,
    );
    expect(both.data!.connectAzureStorage.userErrors[0]!.code).toBe('BAD_USER_INPUT');
    const traversalPrefix = await api.gql<{ connectAzureStorage: Payload }>(
      CONNECT,
      {
        name: 'Up',
        input: { connectionString: azurite.connectionString, container: 'goods', prefix: 'shop/../private' },
      },
      key,
    );
    expect(traversalPrefix.data!.connectAzureStorage.userErrors[0]).toMatchObject({ field: ['prefix'] });
    expect(await api.orm.em.fork().count(StorageConnection, { merchant: merchantId })).toBe(0);
  });

  it('connects with a connection string (verified by a listing) and seals the secret', async () => {
    const res = await api.gql<{ connectAzureStorage: Payload & { storageConnection: Record<string, string> } }>(
      CONNECT,
      {
        name: 'Azure goods',
        input: { connectionString: azurite.connectionString, container: 'goods', prefix: 'shop' },
        delivery: 'redirect',
      },
      key,
    );
    expect(res.data!.connectAzureStorage.userErrors).toEqual([]);
    expect(res.data!.connectAzureStorage.storageConnection).toMatchObject({
      kind: 'azure-blob',
      root: 'goods/shop',
      delivery: 'redirect',
      status: 'connected',
    });
    storageId = res.data!.connectAzureStorage.storageConnection.id!;
    const rows = await api.orm.em
      .getConnection()
      .execute<{ options: unknown; credentials_encrypted: string }[]>(
        'select options, credentials_encrypted from storage_connection where id = ?',
        [storageId],
      );
    const accountKey = /AccountKey=([^;]+)/.exec(azurite.connectionString)![1]!;
    expect(JSON.stringify(rows[0]!.options)).not.toContain(accountKey);
    expect(rows[0]!.credentials_encrypted).not.toContain(accountKey);
    expect(api.keyring.decryptJson(rows[0]!.credentials_encrypted)).toEqual({
      connectionString: azurite.connectionString,
    });
  });

  it('browses inside the prefix only', async () => {
    const browse = (folder: string) =>
      api.gql<{ storageConnection: { browse: { ref: string; kind: string }[] } }>(
        `query($id: ID!, $f: String) { storageConnection(id: $id) { browse(folder: $f) { ref kind size checksum } } }`,
        { id: storageId, f: folder },
        key,
      );
    expect((await browse('')).data!.storageConnection.browse.map((e) => e.ref)).toEqual(['ebooks']);
    expect((await browse('ebooks')).data!.storageConnection.browse).toMatchObject([
      { ref: 'ebooks/novel.pdf', kind: 'file', size: pdf.length },
    ]);
    expect((await browse('../private')).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('links a blob with size, md5 and content type; refuses refs outside the prefix', async () => {
    const LINK = `mutation($p: ID!, $s: ID!, $refs: [String!]!) {
      linkProductFiles(productId: $p, storageConnectionId: $s, refs: $refs) {
        files { ref displayName size checksum contentType } userErrors { code field }
      }
    }`;
    const linked = await api.gql<{ linkProductFiles: Payload & { files: Record<string, unknown>[] } }>(
      LINK,
      { p: productId, s: storageId, refs: ['ebooks/novel.pdf'] },
      key,
    );
    expect(linked.data!.linkProductFiles.userErrors).toEqual([]);
    expect(linked.data!.linkProductFiles.files[0]).toMatchObject({
      ref: 'ebooks/novel.pdf',
      displayName: 'novel.pdf',
      size: pdf.length,
      contentType: 'application/pdf',
    });
    expect(linked.data!.linkProductFiles.files[0]!.checksum).toMatch(/^md5:/);
    for (const bad of ['../private/secret.txt', '%2e%2e%2fprivate/secret.txt', '/private/secret.txt']) {
      const res = await api.gql<{ linkProductFiles: Payload }>(LINK, { p: productId, s: storageId, refs: [bad] }, key);
      expect(res.data!.linkProductFiles.userErrors[0], bad).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: ['refs', '0'],
      });
    }
  });

  it('providerFor mints a SAS URL that fetch can download', async () => {
    const { provider, connection } = await api.services.storage.providerFor(api.orm.em.fork(), merchantId, storageId);
    expect(connection.delivery).toBe('redirect');
    const url = await provider.temporaryUrl!('ebooks/novel.pdf', 60, 'Roman « été ».pdf');
    expect(url).toContain('sig=');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    expect(res.headers.get('content-disposition')).toContain('attachment');
  });
});
