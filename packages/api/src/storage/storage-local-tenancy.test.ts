import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Merchant } from '../merchants/merchant.entity.js';
import { linkFor, seedDigitalOrder } from '../downloads/testing/download-fixture.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { StorageConnection } from './storage-connection.entity.js';
import { StorageRootAssignment } from './storage-root-assignment.entity.js';

interface Payload {
  userErrors: { code: string; field: string[] | null; message: string }[];
}

const CONNECT_LOCAL = `mutation($name: String!, $root: String!) {
  connectLocalStorage(name: $name, root: $root) {
    storageConnection { id }
    userErrors { field message code }
  }
}`;
const BROWSE = `query($id: ID!) { storageConnection(id: $id) { browse { ref } } }`;
const SECRET = Buffer.from("merchant A's paid ebook");

/** Two merchants on one server: B never reaches A's local files, however the path is spelled. */
describe('local storage belongs to one merchant', () => {
  let api: TestApi;
  let rootOne: string;
  let rootTwo: string;
  let a: { merchantId: string; apiKey: string };
  let b: { merchantId: string; apiKey: string };
  let filesOfA: string;

  const connect = (apiKey: string, root: string) =>
    api.gql<{ connectLocalStorage: Payload & { storageConnection: { id: string } | null } }>(
      CONNECT_LOCAL,
      { name: 'Files', root },
      apiKey,
    );

  beforeAll(async () => {
    rootOne = await mkdtemp(join(tmpdir(), 'handoff-root1-'));
    rootTwo = await mkdtemp(join(tmpdir(), 'handoff-root2-'));
    api = await startTestApi(inject('database'), { env: { HANDOFF_STORAGE_ROOTS: `${rootOne},${rootTwo}` } });
    a = await api.merchantWithKey('Shop A');
    b = await api.merchantWithKey('Shop B');
    filesOfA = join(rootOne, a.merchantId, 'files');
    await mkdir(join(filesOfA, 'Café'), { recursive: true });
    await writeFile(join(filesOfA, 'book.pdf'), SECRET);
    await mkdir(join(rootTwo, a.merchantId), { recursive: true });
    await writeFile(join(rootTwo, a.merchantId, 'book.pdf'), SECRET);
    await mkdir(join(rootOne, b.merchantId), { recursive: true });
    await symlink(filesOfA, join(rootOne, b.merchantId, 'link-to-a'));
    await writeFile(join(rootOne, 'loose.pdf'), SECRET);
  });

  afterAll(async () => {
    await api?.close();
    await rm(rootOne, { recursive: true, force: true });
    await rm(rootTwo, { recursive: true, force: true });
  });

  it('A connects its own folder; B connects its own, created on connect', async () => {
    const mine = await connect(a.apiKey, filesOfA);
    expect(mine.data!.connectLocalStorage.userErrors).toEqual([]);
    const own = await connect(b.apiKey, join(rootTwo, b.merchantId));
    expect(own.data!.connectLocalStorage.userErrors).toEqual([]);
  });

  it.each([
    ['absolute', (r1: string, _r2: string, aId: string) => join(r1, aId, 'files')],
    ['trailing slash', (r1: string, _r2: string, aId: string) => `${join(r1, aId, 'files')}/`],
    ["A's whole folder", (r1: string, _r2: string, aId: string) => join(r1, aId)],
    ['the storage root itself', (r1: string) => r1],
    ['a file loose in the root', (r1: string) => join(r1, 'loose.pdf')],
    ['..', (r1: string, _r2: string, aId: string, bId: string) => `${r1}/${bId}/../${aId}/files`],
    ['.. and .', (r1: string, _r2: string, aId: string, bId: string) => `${r1}/${bId}/./../${aId}/./files/.`],
    ['relative', (_r1: string, _r2: string, aId: string) => `${aId}/files`],
    ['relative with ..', (_r1: string, _r2: string, aId: string) => `../${aId}/files`],
    ['a symlink in B’s folder', (r1: string, _r2: string, _aId: string, bId: string) => join(r1, bId, 'link-to-a')],
    ['upper case id', (r1: string, _r2: string, aId: string) => join(r1, aId.toUpperCase(), 'files')],
    ['unicode NFD of a subfolder', (r1: string, _r2: string, aId: string) => join(r1, aId, 'files', 'Cafe\u0301')],
    ['unicode NFC subfolder', (r1: string, _r2: string, aId: string) => join(r1, aId, 'files', 'Café')],
    ['another root', (_r1: string, r2: string, aId: string) => join(r2, aId)],
    [
      'across roots with ..',
      (r1: string, r2: string, aId: string, bId: string) => `${r1}/${bId}/../../${r2.split('/').at(-1)}/${aId}`,
    ],
    ['double slashes', (r1: string, _r2: string, aId: string) => `${r1}//${aId}//files`],
  ])('B cannot connect A’s files (%s)', async (_label, spell) => {
    const path = spell(rootOne, rootTwo, a.merchantId, b.merchantId);
    const before = await api.orm.em.fork().count(StorageConnection, { merchant: b.merchantId });
    const res = await connect(b.apiKey, path);
    expect(res.data!.connectLocalStorage.storageConnection).toBeNull();
    expect(res.data!.connectLocalStorage.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['root'] });
    expect(await api.orm.em.fork().count(StorageConnection, { merchant: b.merchantId })).toBe(before);
  });

  it("a connection made before the fix into A's folder no longer browses or downloads", async () => {
    const em = api.orm.em.fork();
    const legacy = em.create(StorageConnection, {
      merchant: em.getReference(Merchant, b.merchantId),
      kind: 'local',
      name: 'Old',
      options: { root: filesOfA },
    });
    await em.flush();
    const browse = await api.gql(BROWSE, { id: legacy.id }, b.apiKey);
    expect(browse.errors?.[0]?.extensions?.code).toBe('STORAGE_UNAVAILABLE');
    expect(JSON.stringify(browse)).not.toContain('book.pdf');

    const order = await seedDigitalOrder(api, api.orm.em.fork(), {
      merchantId: b.merchantId,
      root: filesOfA,
      files: [{ name: 'book.pdf' }],
      storage: await api.orm.em.fork().findOneOrFail(StorageConnection, { id: legacy.id }),
    });
    const res = await fetch(await linkFor(api, b.merchantId, order.grantIds[0]![0]!));
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(503);
    expect(body.includes(SECRET)).toBe(false);

    const link = await api.gql<{ linkProductFiles: Payload }>(
      `mutation($p: ID!, $s: ID!) { linkProductFiles(productId: $p, storageConnectionId: $s, refs: ["book.pdf"]) { userErrors { code } } }`,
      { p: order.productIds[0], s: legacy.id },
      b.apiKey,
    );
    // Linking a file reports the storage as unusable (product files map every StorageError so).
    expect(link.data!.linkProductFiles.userErrors[0]!.code).toMatch(/^STORAGE_UN(AVAILABLE|AUTHORIZED)$/);
  });

  it('an operator assignment lets B connect that folder only; revoking it stops a cached provider', async () => {
    const shared = join(rootOne, 'b-catalogue');
    await mkdir(shared);
    await writeFile(join(shared, 'b.pdf'), 'B');
    const assignments = api.services.storage.providers.rootAssignments;
    expect(await assignments.allow(api.orm.em.fork(), b.merchantId, `${shared}/`)).toBe(shared);
    expect(await assignments.allow(api.orm.em.fork(), b.merchantId, shared)).toBe(shared); // idempotent
    const refusedForA = await connect(a.apiKey, shared);
    expect(refusedForA.data!.connectLocalStorage.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT' });
    const res = await connect(b.apiKey, shared);
    const id = res.data!.connectLocalStorage.storageConnection!.id;
    const listed = await api.gql<{ storageConnection: { browse: { ref: string }[] } }>(BROWSE, { id }, b.apiKey);
    expect(listed.data!.storageConnection.browse).toEqual([{ ref: 'b.pdf' }]);

    await api.orm.em.fork().nativeDelete(StorageRootAssignment, { merchant: b.merchantId });
    const after = await api.gql(BROWSE, { id }, b.apiKey);
    expect(after.errors?.[0]?.extensions?.code).toBe('STORAGE_UNAVAILABLE');
  });

  it.each([
    ["A's own folder", (r1: string, aId: string) => join(r1, aId), 'CONFLICT'],
    ["a folder inside A's own folder", (r1: string, aId: string) => join(r1, aId, 'files'), 'CONFLICT'],
    ['a storage root', (r1: string) => r1, 'BAD_USER_INPUT'],
    ['a folder outside every root', () => tmpdir(), 'BAD_USER_INPUT'],
    ['a missing folder', (r1: string) => join(r1, 'missing'), 'BAD_USER_INPUT'],
    ['a relative path', () => 'files', 'BAD_USER_INPUT'],
  ])('the operator cannot assign B %s', async (_label, spell, code) => {
    await expect(
      api.services.storage.providers.rootAssignments.allow(
        api.orm.em.fork(),
        b.merchantId,
        spell(rootOne, a.merchantId),
      ),
    ).rejects.toMatchObject({ code });
  });

  it("assignments never overlap another merchant's", async () => {
    const assignments = api.services.storage.providers.rootAssignments;
    const outer = join(rootTwo, 'agency');
    await mkdir(join(outer, 'client'), { recursive: true });
    await assignments.allow(api.orm.em.fork(), a.merchantId, join(outer, 'client'));
    await expect(assignments.allow(api.orm.em.fork(), b.merchantId, outer)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(assignments.allow(api.orm.em.fork(), b.merchantId, join(outer, 'client'))).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      assignments.allow(api.orm.em.fork(), '00000000-0000-0000-0000-000000000000', outer),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
