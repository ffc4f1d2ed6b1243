import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ProductFile } from '../catalog/product-file.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { StorageConnection } from './storage-connection.entity.js';

interface Payload {
  userErrors: { code: string; field: string[] | null; message: string }[];
}

const CONNECT_LOCAL = `mutation($name: String!, $root: String!) {
  connectLocalStorage(name: $name, root: $root) {
    storageConnection { id kind name root status delivery }
    userErrors { field message code }
  }
}`;
const LINK = `mutation($p: ID!, $s: ID!, $refs: [String!]!, $names: [String!]) {
  linkProductFiles(productId: $p, storageConnectionId: $s, refs: $refs, displayNames: $names) {
    files { id ref displayName size checksum contentType position storage { id name } }
    userErrors { field message code }
  }
}`;
const CREATE_PRODUCT = `mutation($sku: String!) { createProduct(input: { sku: $sku, name: $sku, digital: true }) { product { id } } }`;

describe('local storage connections', () => {
  let api: TestApi;
  let allowed: string;
  let outside: string;
  let root: string;
  let key: string;
  let merchantId: string;
  let other: { merchantId: string; apiKey: string };
  let storageId: string;
  let productId: string;

  beforeAll(async () => {
    allowed = await mkdtemp(join(tmpdir(), 'handoff-allowed-'));
    outside = await mkdtemp(join(tmpdir(), 'handoff-outside-'));
    api = await startTestApi(inject('database'), { env: { HANDOFF_STORAGE_ROOTS: `${allowed},/nonexistent/x` } });
    ({ apiKey: key, merchantId } = await api.merchantWithKey('Local shop'));
    other = await api.merchantWithKey('Other shop');
    // The merchant's own folder of the allowed root: the only place it may connect.
    root = join(allowed, merchantId, 'shop');
    await mkdir(join(root, 'ebooks'), { recursive: true });
    await writeFile(join(root, 'ebooks', 'novel.pdf'), 'PDF bytes here');
    await writeFile(join(root, 'song.mp3'), Buffer.alloc(2048, 7));
    await writeFile(join(outside, 'secret.txt'), 'not yours');
    await writeFile(join(allowed, merchantId, 'sibling.txt'), 'beside the root, not in it');
    await symlink(join(outside, 'secret.txt'), join(root, 'escape.txt'));
    const product = await api.gql<{ createProduct: { product: { id: string } } }>(CREATE_PRODUCT, { sku: 'EB-1' }, key);
    productId = product.data!.createProduct.product.id;
  });

  afterAll(async () => {
    await api?.close();
    await rm(allowed, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('connects a folder inside its own folder of HANDOFF_STORAGE_ROOTS', async () => {
    const res = await api.gql<{ connectLocalStorage: Payload & { storageConnection: Record<string, string> } }>(
      CONNECT_LOCAL,
      { name: 'Shop files', root },
      key,
    );
    expect(res.data!.connectLocalStorage.userErrors).toEqual([]);
    const conn = res.data!.connectLocalStorage.storageConnection;
    expect(conn).toMatchObject({ kind: 'local', name: 'Shop files', status: 'connected', delivery: 'stream' });
    storageId = conn.id!;
  });

  it.each([
    ['/etc', 'outside every allowed root'],
    ['', 'empty'],
    ['relative/path', 'relative'],
    ['__OUTSIDE__', 'a temp folder not allowed'],
    ['__ALLOWED__/../', 'a path that climbs out of the allowed root'],
    ['__ALLOWED__/missing', 'missing'],
  ])('refuses %s as a root (%s)', async (given) => {
    const rootArg = given.replace('__OUTSIDE__', outside).replace('__ALLOWED__', allowed);
    const res = await api.gql<{ connectLocalStorage: Payload & { storageConnection: unknown } }>(
      CONNECT_LOCAL,
      { name: 'Bad', root: rootArg },
      key,
    );
    expect(res.data!.connectLocalStorage.storageConnection).toBeNull();
    expect(res.data!.connectLocalStorage.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['root'] });
  });

  it('refuses a symlink inside an allowed root that points outside it', async () => {
    await symlink('/etc', join(allowed, 'etc-link'));
    const res = await api.gql<{ connectLocalStorage: Payload }>(
      CONNECT_LOCAL,
      { name: 'Sneaky', root: join(allowed, 'etc-link') },
      key,
    );
    expect(res.data!.connectLocalStorage.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['root'] });
    const em = api.orm.em.fork();
    expect(await em.count(StorageConnection, { merchant: merchantId })).toBe(1);
  });

  it('browses the root and a folder, hiding a symlink that escapes', async () => {
    const res = await api.gql<{
      storageConnection: { browse: { ref: string; kind: string; size: number | null }[] };
    }>(
      `query($id: ID!, $f: String) { storageConnection(id: $id) { browse(folder: $f) { ref name kind size contentType } } }`,
      { id: storageId },
      key,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.storageConnection.browse.map((e) => [e.ref, e.kind])).toEqual([
      ['ebooks', 'folder'],
      ['song.mp3', 'file'],
    ]);
    const sub = await api.gql<{ storageConnection: { browse: { ref: string; size: number }[] } }>(
      `query($id: ID!, $f: String) { storageConnection(id: $id) { browse(folder: $f) { ref size } } }`,
      { id: storageId, f: 'ebooks' },
      key,
    );
    expect(sub.data!.storageConnection.browse).toEqual([{ ref: 'ebooks/novel.pdf', size: 14 }]);
  });

  it.each(['../', '..', '%2e%2e%2f', 'ebooks/../../', '/etc'])('browse of %s is NOT_FOUND', async (folder) => {
    const res = await api.gql(
      `query($id: ID!, $f: String) { storageConnection(id: $id) { browse(folder: $f) { ref } } }`,
      { id: storageId, f: folder },
      key,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('links files with size and content type, in order', async () => {
    const res = await api.gql<{ linkProductFiles: Payload & { files: Record<string, unknown>[] } }>(
      LINK,
      { p: productId, s: storageId, refs: ['ebooks/novel.pdf', 'song.mp3'], names: ['The Novel', 'The Song'] },
      key,
    );
    expect(res.data!.linkProductFiles.userErrors).toEqual([]);
    expect(res.data!.linkProductFiles.files).toMatchObject([
      { ref: 'ebooks/novel.pdf', displayName: 'The Novel', size: 14, contentType: 'application/pdf', position: 0 },
      { ref: 'song.mp3', displayName: 'The Song', size: 2048, contentType: 'audio/mpeg', position: 1 },
    ]);
    expect(res.data!.linkProductFiles.files[0]!.storage).toEqual({ id: storageId, name: 'Shop files' });
  });

  it.each([
    ['../sibling.txt'],
    ['%2e%2e%2fsibling.txt'],
    ['%252e%252e%252fsibling.txt'],
    ['/etc/passwd'],
    ['ebooks/..\\..\\sibling.txt'],
    ['escape.txt'],
    ['ebooks'],
    ['missing.pdf'],
  ])('refuses to link %s, and links nothing of the batch', async (bad) => {
    const em = api.orm.em.fork();
    const before = await em.count(ProductFile, { product: productId });
    const res = await api.gql<{ linkProductFiles: Payload & { files: unknown } }>(
      LINK,
      { p: productId, s: storageId, refs: ['song.mp3', bad] },
      key,
    );
    expect(res.data!.linkProductFiles.files).toBeNull();
    expect(res.data!.linkProductFiles.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['refs', '1'] });
    expect(await em.count(ProductFile, { product: productId })).toBe(before);
  });

  it("refuses another merchant's storage connection and product", async () => {
    const theirs = await api.gql<{ createProduct: { product: { id: string } } }>(
      CREATE_PRODUCT,
      { sku: 'X' },
      other.apiKey,
    );
    const theirProduct = theirs.data!.createProduct.product.id;
    const withTheirKey = await api.gql<{ linkProductFiles: Payload }>(
      LINK,
      { p: theirProduct, s: storageId, refs: ['song.mp3'] },
      other.apiKey,
    );
    expect(withTheirKey.data!.linkProductFiles.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    const theirProductMyStorage = await api.gql<{ linkProductFiles: Payload }>(
      LINK,
      { p: theirProduct, s: storageId, refs: ['song.mp3'] },
      key,
    );
    expect(theirProductMyStorage.data!.linkProductFiles.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      api.services.storage.providerFor(api.orm.em.fork(), other.merchantId, storageId),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Storage connection not found',
    });
    await expect(api.services.storage.providerFor(api.orm.em.fork(), merchantId, 'not-a-uuid')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('replaces a file keeping its id, reorders, and unlinks', async () => {
    const files = await api.orm.em.fork().find(ProductFile, { product: productId }, { orderBy: { position: 'asc' } });
    const [novel, song] = files;
    await writeFile(join(root, 'ebooks', 'novel-v2.pdf'), 'PDF bytes, second edition');
    const replaced = await api.gql<{ replaceProductFile: Payload & { file: Record<string, unknown> } }>(
      `mutation($id: ID!, $ref: String!) { replaceProductFile(id: $id, ref: $ref) { file { id ref size displayName } userErrors { code field message } } }`,
      { id: novel!.id, ref: 'ebooks/novel-v2.pdf' },
      key,
    );
    expect(replaced.data!.replaceProductFile.file).toEqual({
      id: novel!.id,
      ref: 'ebooks/novel-v2.pdf',
      size: 25,
      displayName: 'The Novel',
    });
    const traversal = await api.gql<{ replaceProductFile: Payload }>(
      `mutation($id: ID!, $ref: String!) { replaceProductFile(id: $id, ref: $ref) { userErrors { code field message } } }`,
      { id: novel!.id, ref: '../sibling.txt' },
      key,
    );
    expect(traversal.data!.replaceProductFile.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['ref'] });

    const reordered = await api.gql<{ reorderProductFiles: Payload & { files: { id: string; position: number }[] } }>(
      `mutation($p: ID!, $ids: [ID!]!) { reorderProductFiles(productId: $p, ids: $ids) { files { id position } userErrors { code } } }`,
      { p: productId, ids: [song!.id, novel!.id] },
      key,
    );
    expect(reordered.data!.reorderProductFiles.files).toEqual([
      { id: song!.id, position: 0 },
      { id: novel!.id, position: 1 },
    ]);
    const partial = await api.gql<{ reorderProductFiles: Payload }>(
      `mutation($p: ID!, $ids: [ID!]!) { reorderProductFiles(productId: $p, ids: $ids) { userErrors { code } } }`,
      { p: productId, ids: [song!.id] },
      key,
    );
    expect(partial.data!.reorderProductFiles.userErrors[0]!.code).toBe('BAD_USER_INPUT');

    const product = await api.gql<{ product: { files: { id: string }[] } }>(
      `query($id: ID!) { product(id: $id) { files { id } } }`,
      { id: productId },
      key,
    );
    expect(product.data!.product.files.map((f) => f.id)).toEqual([song!.id, novel!.id]);

    const foreignUnlink = await api.gql<{ unlinkProductFile: Payload }>(
      `mutation($id: ID!) { unlinkProductFile(id: $id) { deletedId userErrors { code } } }`,
      { id: song!.id },
      other.apiKey,
    );
    expect(foreignUnlink.data!.unlinkProductFile.userErrors[0]!.code).toBe('NOT_FOUND');
    const unlinked = await api.gql<{ unlinkProductFile: { deletedId: string } }>(
      `mutation($id: ID!) { unlinkProductFile(id: $id) { deletedId userErrors { code } } }`,
      { id: song!.id },
      key,
    );
    expect(unlinked.data!.unlinkProductFile.deletedId).toBe(song!.id);
  });

  it('providerFor gives a working, cached provider; an update invalidates it', async () => {
    const em = api.orm.em.fork();
    const first = await api.services.storage.providerFor(em, merchantId, storageId);
    const again = await api.services.storage.providerFor(api.orm.em.fork(), merchantId, storageId);
    expect(again.provider).toBe(first.provider);
    const opened = await first.provider.open('song.mp3', { start: 0, end: 9 });
    opened.stream.destroy();
    expect(opened.size).toBe(2048);
    // A root later moved outside the allowed folders (e.g. edited in the database) is refused on rebuild.
    await em.nativeUpdate(StorageConnection, { id: storageId }, { options: { root: outside } });
    await expect(api.services.storage.providerFor(api.orm.em.fork(), merchantId, storageId)).rejects.toMatchObject({
      reason: 'unavailable',
    });
    await em.nativeUpdate(StorageConnection, { id: storageId }, { options: { root } });
  });

  it('updates name and delivery; local storage cannot redirect', async () => {
    const UPDATE = `mutation($id: ID!, $input: UpdateStorageConnectionInput!) {
      updateStorageConnection(id: $id, input: $input) { storageConnection { name delivery } userErrors { code field } }
    }`;
    const renamed = await api.gql<{ updateStorageConnection: Payload & { storageConnection: unknown } }>(
      UPDATE,
      { id: storageId, input: { name: 'Renamed' } },
      key,
    );
    expect(renamed.data!.updateStorageConnection.storageConnection).toEqual({ name: 'Renamed', delivery: 'stream' });
    const redirect = await api.gql<{ updateStorageConnection: Payload }>(
      UPDATE,
      { id: storageId, input: { delivery: 'redirect' } },
      key,
    );
    expect(redirect.data!.updateStorageConnection.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['delivery'],
    });
    const foreign = await api.gql<{ updateStorageConnection: Payload }>(
      UPDATE,
      { id: storageId, input: { name: 'Mine now' } },
      other.apiKey,
    );
    expect(foreign.data!.updateStorageConnection.userErrors[0]!.code).toBe('NOT_FOUND');
  });

  it('keeps every storage root field to its merchant and its scopes', async () => {
    const list = `{ storageConnections(first: 10) { edges { node { id } } } }`;
    const mine = await api.gql<{ storageConnections: { edges: unknown[] } }>(list, {}, key);
    expect(mine.data!.storageConnections.edges).toHaveLength(1);
    const theirs = await api.gql<{ storageConnections: { edges: unknown[] } }>(list, {}, other.apiKey);
    expect(theirs.data!.storageConnections.edges).toEqual([]);
    const one = await api.gql<{ storageConnection: unknown }>(
      `query($id: ID!) { storageConnection(id: $id) { id } }`,
      { id: storageId },
      other.apiKey,
    );
    expect(one.data!.storageConnection).toBeNull();
    const catalogOnly = await api.merchantWithKey('Catalog only', ['catalog:read']);
    const refused = await api.gql(list, {}, catalogOnly.apiKey);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const readOnly = await api.merchantWithKey('Read only', ['settings:read']);
    const write = await api.gql(CONNECT_LOCAL, { name: 'x', root }, readOnly.apiKey);
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const foreignDelete = await api.gql<{ deleteStorageConnection: Payload }>(
      `mutation($id: ID!) { deleteStorageConnection(id: $id) { deletedId userErrors { code } } }`,
      { id: storageId },
      other.apiKey,
    );
    expect(foreignDelete.data!.deleteStorageConnection.userErrors[0]!.code).toBe('NOT_FOUND');
  });

  it('refuses to delete a storage in use unless forced', async () => {
    const DELETE = `mutation($id: ID!, $force: Boolean) { deleteStorageConnection(id: $id, force: $force) { deletedId userErrors { code } } }`;
    const refused = await api.gql<{ deleteStorageConnection: Payload }>(DELETE, { id: storageId }, key);
    expect(refused.data!.deleteStorageConnection.userErrors[0]!.code).toBe('CONFLICT');
    const forced = await api.gql<{ deleteStorageConnection: { deletedId: string } }>(
      DELETE,
      { id: storageId, force: true },
      key,
    );
    expect(forced.data!.deleteStorageConnection.deletedId).toBe(storageId);
    expect(await api.orm.em.fork().count(ProductFile, { product: productId })).toBe(0);
  });
});
