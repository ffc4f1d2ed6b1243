import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ProductFile } from '../catalog/product-file.entity.js';
import { Product } from '../catalog/product.entity.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { OrderItem } from '../orders/order-item.entity.js';
import { Order } from '../orders/order.entity.js';
import { StorageConnection } from '../storage/storage-connection.entity.js';
import { normalizedOrder } from '../testing/normalized-order.js';
import { assignStorageRoot } from '../testing/storage-root.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { DownloadGrant } from './download-grant.entity.js';
import { linkFor, seedDigitalOrder, tempRoot, TestClock } from './testing/download-fixture.js';

interface Grant {
  id: string;
  limit: number | null;
  used: number;
  remaining: number | null;
  expiresAt: string | null;
  revokedAt: string | null;
  orderItemId: string;
  file: { displayName: string };
}
const GRANT = 'id limit used remaining expiresAt revokedAt revokedReason orderItemId file { displayName }';

describe('download grants (service and merchant GraphQL)', () => {
  let api: TestApi;
  let root: Awaited<ReturnType<typeof tempRoot>>;
  const clock = new TestClock();
  const em = () => api.orm.em.fork();
  let a: { merchantId: string; apiKey: string };
  let b: { merchantId: string; apiKey: string };

  beforeAll(async () => {
    root = await tempRoot();
    await writeFile(join(root.dir, 'a.pdf'), 'A');
    await writeFile(join(root.dir, 'b.zip'), 'B');
    api = await startTestApi(inject('database'), { clock, env: { HANDOFF_STORAGE_ROOTS: root.dir } });
    a = await api.merchantWithKey('Shop A');
    b = await api.merchantWithKey('Shop B');
  });
  afterAll(async () => {
    await api.close();
    await root.remove();
  });

  const grantsOf = async (orderId: string, key = a.apiKey) =>
    (
      await api.gql<{ order: { downloadGrants: Grant[]; items: { id: string; downloadGrants: Grant[] }[] } | null }>(
        `query($id: ID!) { order(id: $id) { downloadGrants { ${GRANT} } items { id downloadGrants { id } } } }`,
        { id: orderId },
        key,
      )
    ).data?.order;

  it('grants one per line × file with product then merchant defaults; idempotent', async () => {
    const order = await seedDigitalOrder(api, em(), {
      merchantId: a.merchantId,
      root: root.dir,
      files: [{ name: 'a.pdf' }, { name: 'b.zip' }],
      lines: 2,
      limit: 4,
      validityDays: 2,
    });
    const o = (await grantsOf(order.orderId))!;
    expect(o.downloadGrants).toHaveLength(4);
    expect(o.downloadGrants[0]).toMatchObject({ limit: 4, used: 0, remaining: 4, revokedAt: null });
    expect(o.downloadGrants[0]!.expiresAt).toBe(new Date(clock.t + 2 * 86_400_000).toISOString());
    expect(o.items.map((i) => i.downloadGrants.length)).toEqual([2, 2]);

    const again = await api.gql<{ grantDownloads: { result: { created: number; grants: unknown[] } } }>(
      'mutation($id: ID!) { grantDownloads(orderId: $id) { result { created grants { id } } userErrors { code } } }',
      { id: order.orderId },
      a.apiKey,
    );
    expect(again.data!.grantDownloads.result).toMatchObject({ created: 0 });
    expect(again.data!.grantDownloads.result.grants).toHaveLength(4);

    // Merchant defaults when the product has none; non-digital lines get nothing.
    const e = em();
    const merchant = e.getReference(Merchant, a.merchantId);
    const storage = await e.findOneOrFail(StorageConnection, { id: order.storageId });
    const p = e.create(Product, { merchant, sku: 'DEF', name: 'Defaults' });
    const physical = e.create(Product, { merchant, sku: 'PHYS', name: 'Mug', digital: false });
    e.create(ProductFile, { merchant, product: p, storage, ref: 'a.pdf', displayName: 'a.pdf' });
    e.create(ProductFile, { merchant, product: physical, storage, ref: 'b.zip', displayName: 'b.zip' });
    const channel = e.create(ChannelConnection, { merchant, kind: 'generic', name: 'x' });
    const o2 = e.create(Order, {
      merchant,
      connection: channel,
      externalId: 'def',
      number: '#def',
      status: 'paid',
      currency: 'EUR',
      placedAt: clock.now(),
      channelUpdatedAt: clock.now(),
    });
    e.create(OrderItem, { merchant, order: o2, externalId: '1', title: 'D', product: p });
    e.create(OrderItem, { merchant, order: o2, externalId: '2', title: 'Mug', product: physical });
    await e.flush();
    const res = await api.gql<{ grantDownloads: { result: { created: number; grants: Grant[] } } }>(
      `mutation($id: ID!) { grantDownloads(orderId: $id) { result { created grants { ${GRANT} } } userErrors { code } } }`,
      { id: o2.id },
      a.apiKey,
    );
    expect(res.data!.grantDownloads.result.created).toBe(1);
    expect(res.data!.grantDownloads.result.grants[0]).toMatchObject({ limit: 5 });
    expect(res.data!.grantDownloads.result.grants[0]!.expiresAt).toBe(
      new Date(clock.t + 30 * 86_400_000).toISOString(),
    );
  });

  it('regenerate adds newly linked files only, keeps counts; a replaced file keeps its grant', async () => {
    const order = await seedDigitalOrder(api, em(), {
      merchantId: a.merchantId,
      root: root.dir,
      files: [{ name: 'a.pdf' }],
    });
    const grantId = order.grantIds[0]![0]!;
    await em().nativeUpdate(DownloadGrant, { id: grantId }, { used: 2 });
    const e = em();
    // Replaced: the same ProductFile row now points elsewhere. Added: a second file.
    await e.nativeUpdate(ProductFile, { id: order.fileIds[0] }, { ref: 'b.zip', displayName: 'v2.zip' });
    const storage = e.getReference(StorageConnection, order.storageId);
    e.create(ProductFile, {
      merchant: e.getReference(Merchant, a.merchantId),
      product: e.getReference(Product, order.productIds[0]!),
      storage,
      ref: 'a.pdf',
      displayName: 'extra.pdf',
    });
    await e.flush();
    const plain = await api.gql<{ grantDownloads: { result: { created: number } } }>(
      'mutation($id: ID!) { grantDownloads(orderId: $id) { result { created } userErrors { code } } }',
      { id: order.orderId },
      a.apiKey,
    );
    expect(plain.data!.grantDownloads.result.created).toBe(0);
    const regen = await api.gql<{ regenerateDownloadGrants: { result: { created: number; grants: Grant[] } } }>(
      `mutation($id: ID!) { regenerateDownloadGrants(orderId: $id) { result { created grants { ${GRANT} } } userErrors { code } } }`,
      { id: order.orderId },
      a.apiKey,
    );
    const result = regen.data!.regenerateDownloadGrants.result;
    expect(result.created).toBe(1);
    expect(result.grants.find((g) => g.id === grantId)).toMatchObject({ used: 2, file: { displayName: 'v2.zip' } });
    expect(result.grants.map((g) => g.file.displayName).sort()).toEqual(['extra.pdf', 'v2.zip']);
    const events = await em().find(OrderEvent, { order: order.orderId, type: 'downloads_regenerated' });
    expect(events[0]).toMatchObject({ actor: 'api-key:test', source: 'merchant' });
  });

  it('edits per grant and per order, reset, revoke/restore per line: each names who in the history', async () => {
    const order = await seedDigitalOrder(api, em(), {
      merchantId: a.merchantId,
      root: root.dir,
      files: [{ name: 'a.pdf' }],
      lines: 2,
    });
    const [g1, g2] = [order.grantIds[0]![0]!, order.grantIds[1]![0]!];
    const until = '2027-01-01T00:00:00.000Z';
    const one = await api.gql<{ updateDownloadGrant: { grant: Grant } }>(
      `mutation($id: ID!, $i: DownloadGrantEditInput!) { updateDownloadGrant(id: $id, input: $i) { grant { ${GRANT} } userErrors { code } } }`,
      { id: g1, i: { limit: null } },
      a.apiKey,
    );
    expect(one.data!.updateDownloadGrant.grant).toMatchObject({ limit: null, remaining: null });
    const all = await api.gql<{ updateOrderDownloadGrants: { grants: Grant[] } }>(
      `mutation($id: ID!, $i: DownloadGrantEditInput!) { updateOrderDownloadGrants(orderId: $id, input: $i) { grants { ${GRANT} } userErrors { code } } }`,
      { id: order.orderId, i: { expiresAt: until } },
      a.apiKey,
    );
    const edited = all.data!.updateOrderDownloadGrants.grants;
    expect(edited.map((g) => [g.id === g1 ? 'g1' : 'g2', g.limit, g.expiresAt]).sort()).toEqual([
      ['g1', null, until],
      ['g2', 3, until],
    ]);
    const bad = await api.gql<{ updateDownloadGrant: { grant: null; userErrors: { code: string }[] } }>(
      'mutation($id: ID!) { updateDownloadGrant(id: $id, input: { limit: -1 }) { grant { id } userErrors { code } } }',
      { id: g1 },
      a.apiKey,
    );
    expect(bad.data!.updateDownloadGrant.userErrors[0]!.code).toBe('BAD_USER_INPUT');

    // A download never moves the expiry; reset starts the count again.
    await fetch(await linkFor(api, a.merchantId, g2)).then((r) => r.arrayBuffer());
    expect((await em().findOneOrFail(DownloadGrant, { id: g2 })).expiresAt?.toISOString()).toBe(until);
    const reset = await api.gql<{ resetDownloadGrantUses: { grant: Grant } }>(
      `mutation($id: ID!) { resetDownloadGrantUses(id: $id) { grant { ${GRANT} } userErrors { code } } }`,
      { id: g2 },
      a.apiKey,
    );
    expect(reset.data!.resetDownloadGrantUses.grant).toMatchObject({ used: 0, expiresAt: until });

    const revoked = await api.gql<{ revokeLineDownloads: { grants: Grant[] } }>(
      `mutation($id: ID!) { revokeLineDownloads(orderItemId: $id) { grants { ${GRANT} } userErrors { code } } }`,
      { id: order.itemIds[0] },
      a.apiKey,
    );
    expect(revoked.data!.revokeLineDownloads.grants[0]!.revokedAt).toBe(clock.now().toISOString());
    expect(
      (
        await api.gql<{ order: { downloadGrants: Grant[] } }>(
          `query($id: ID!) { order(id: $id) { downloadGrants { id revokedAt } } }`,
          { id: order.orderId },
          a.apiKey,
        )
      ).data!.order.downloadGrants.find((g) => g.id === g2)!.revokedAt,
    ).toBeNull();
    const restored = await api.gql<{ restoreLineDownloads: { grants: Grant[] } }>(
      `mutation($id: ID!) { restoreLineDownloads(orderItemId: $id) { grants { ${GRANT} } userErrors { code } } }`,
      { id: order.itemIds[0] },
      a.apiKey,
    );
    expect(restored.data!.restoreLineDownloads.grants[0]!.revokedAt).toBeNull();
    const history = await em().find(
      OrderEvent,
      { order: order.orderId, source: 'merchant', type: { $ne: 'downloads_granted' } },
      { orderBy: { createdAt: 'asc' } },
    );
    expect(history.map((h) => h.type).sort()).toEqual(
      [
        'download_grant_edited',
        'download_grants_edited',
        'download_uses_reset',
        'downloads_restored',
        'downloads_revoked',
      ].sort(),
    );
    expect(new Set(history.map((h) => h.actor))).toEqual(new Set(['api-key:test']));
  });

  it('a refund of one line revokes its grants at once; a partial refund leaves the other lines alone; a full refund revokes all', async () => {
    const e = em();
    const merchant = e.getReference(Merchant, a.merchantId);
    const channel = e.create(ChannelConnection, { merchant, kind: 'generic', name: 'Import' });
    await assignStorageRoot(e, a.merchantId, root.dir);
    const storage = e.create(StorageConnection, { merchant, kind: 'local', name: 'L', options: { root: root.dir } });
    for (const sku of ['SKU-A', 'SKU-B']) {
      const product = e.create(Product, { merchant, sku, name: sku });
      e.create(ProductFile, { merchant, product, storage, ref: 'a.pdf', displayName: `${sku}.pdf` });
    }
    await e.flush();
    const target = { connectionId: channel.id, merchantId: a.merchantId };
    const importAndDispatch = async (o: ReturnType<typeof normalizedOrder>) => {
      await em().transactional((tx) =>
        api.services.importer.importBatch(tx, target, [o], { source: 'sync', actor: 't' }),
      );
      const ids = (
        await em()
          .getConnection()
          .execute<{ id: string }[]>('select id from order_trigger where dispatched_at is null and merchant_id = ?', [
            a.merchantId,
          ])
      ).map((r) => r.id);
      await em().transactional((tx) => api.services.triggers.dispatch(tx, ids));
    };
    await importAndDispatch(normalizedOrder('R1', { updatedAt: new Date('2026-03-01T10:00:00Z') }));
    const order = await em().findOneOrFail(Order, { connection: channel.id, externalId: 'R1' });
    // The default rule already granted them when the paid trigger was dispatched; asking again adds none.
    const granted = await api.services.grants.grantDownloads(em(), order.id, {
      merchantId: a.merchantId,
      name: 'rule',
    });
    expect(granted.created).toBe(0);
    expect(granted.grants).toHaveLength(2);
    const line1 = await em().findOneOrFail(OrderItem, { order: order.id, externalId: 'R1-1' });
    const g1 = granted.grants.find((g) => g.orderItem.id === line1.id)!;
    const g2 = granted.grants.find((g) => g.orderItem.id !== line1.id)!;
    const link1 = await linkFor(api, a.merchantId, g1.id);
    const link2 = await linkFor(api, a.merchantId, g2.id);

    await importAndDispatch(
      normalizedOrder('R1', {
        updatedAt: new Date('2026-03-01T11:00:00Z'),
        items: [{ refundedQuantity: 1 }, { externalId: 'R1-2', sku: 'SKU-B', title: 'Second file' }],
      }),
    );
    const r1 = await fetch(link1);
    expect([r1.status, ((await r1.json()) as { error: { code: string } }).error.code]).toEqual([410, 'REVOKED']);
    expect((await fetch(link2)).status).toBe(200);
    const revokedEvent = await em().findOneOrFail(OrderEvent, { order: order.id, type: 'downloads_revoked' });
    expect(revokedEvent).toMatchObject({ source: 'system', actor: 'refund' });

    await importAndDispatch(
      normalizedOrder('R1', {
        status: 'refunded',
        updatedAt: new Date('2026-03-01T12:00:00Z'),
        items: [{ refundedQuantity: 1 }, { externalId: 'R1-2', sku: 'SKU-B', title: 'Second file' }],
      }),
    );
    const r2 = await fetch(link2);
    expect(r2.status).toBe(410);
    expect((await em().findOneOrFail(DownloadGrant, { id: g2.id })).revokedReason).toBe('refund');
  });

  it('download events as a filtered connection', async () => {
    const order = await seedDigitalOrder(api, em(), {
      merchantId: a.merchantId,
      root: root.dir,
      files: [{ name: 'a.pdf' }],
      limit: 1,
    });
    const link = await linkFor(api, a.merchantId, order.grantIds[0]![0]!);
    await fetch(link).then((r) => r.arrayBuffer());
    await fetch(link).then((r) => r.arrayBuffer());
    const q = `query($f: DownloadEventFilterInput) { downloadEvents(first: 10, filter: $f) { edges { node { outcome grantId orderId bytesSent completed ip } } } }`;
    let edges: { node: { outcome: string; grantId: string } }[] = [];
    for (let i = 0; i < 50 && edges.length < 2; i++) {
      edges = (
        await api.gql<{ downloadEvents: { edges: typeof edges } }>(q, { f: { orderId: order.orderId } }, a.apiKey)
      ).data!.downloadEvents.edges;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(edges.map((e) => e.node.outcome).sort()).toEqual(['LIMIT_REACHED', 'SERVED']);
    const limited = await api.gql<{ downloadEvents: { edges: unknown[] } }>(
      q,
      { f: { orderId: order.orderId, outcome: 'LIMIT_REACHED' } },
      a.apiKey,
    );
    expect(limited.data!.downloadEvents.edges).toHaveLength(1);
    const none = await api.gql<{ downloadEvents: { edges: unknown[] } }>(
      q,
      { f: { orderId: order.orderId, to: '2020-01-01T00:00:00Z' } },
      a.apiKey,
    );
    expect(none.data!.downloadEvents.edges).toHaveLength(0);
  });

  it("tenant isolation: merchant B reaches none of A's grants, events, suspensions or links", async () => {
    const order = await seedDigitalOrder(api, em(), {
      merchantId: a.merchantId,
      root: root.dir,
      files: [{ name: 'a.pdf' }],
    });
    const grantId = order.grantIds[0]![0]!;
    await fetch(await linkFor(api, a.merchantId, grantId)).then((r) => r.arrayBuffer());
    await api.services.suspensions.registerFailure(
      em(),
      { merchantId: a.merchantId, orderId: order.orderId, ip: '10.0.0.1', target: `order:${order.orderId}` },
      clock.now(),
    );
    const ids = { id: grantId, order: order.orderId, item: order.itemIds[0] };
    expect(await grantsOf(order.orderId, b.apiKey)).toBeNull();
    const m = await api.gql<Record<string, { userErrors: { code: string }[] }>>(
      `mutation($id: ID!, $order: ID!, $item: ID!) {
        a: updateDownloadGrant(id: $id, input: { limit: 99 }) { userErrors { code } }
        b: updateOrderDownloadGrants(orderId: $order, input: { limit: 99 }) { userErrors { code } }
        c: resetDownloadGrantUses(id: $id) { userErrors { code } }
        d: revokeLineDownloads(orderItemId: $item) { userErrors { code } }
        e: restoreLineDownloads(orderItemId: $item) { userErrors { code } }
        f: grantDownloads(orderId: $order) { userErrors { code } }
        g: regenerateDownloadGrants(orderId: $order) { userErrors { code } }
        h: downloadLink(grantId: $id) { link { url } userErrors { code } }
      }`,
      ids,
      b.apiKey,
    );
    for (const key of 'abcdefgh') expect(m.data![key]!.userErrors[0]!.code, key).toBe('NOT_FOUND');
    const g = await em().findOneOrFail(DownloadGrant, { id: grantId });
    expect([g.limit, g.used, g.revokedAt]).toEqual([3, 1, null]);
    const lists = await api.gql<{
      downloadEvents: { edges: unknown[] };
      suspensions: { edges: { node: { id: string } }[] };
    }>(
      '{ downloadEvents(first: 50) { edges { node { id } } } suspensions(first: 50) { edges { node { id } } } }',
      {},
      b.apiKey,
    );
    expect(lists.data!.downloadEvents.edges).toHaveLength(0);
    expect(lists.data!.suspensions.edges).toHaveLength(0);
    const own = await api.gql<{ suspensions: { edges: { node: { id: string } }[] } }>(
      '{ suspensions(first: 50) { edges { node { id } } } }',
      {},
      a.apiKey,
    );
    const lift = await api.gql<{ liftSuspension: { userErrors: { code: string }[] } }>(
      'mutation($id: ID!) { liftSuspension(id: $id) { userErrors { code } } }',
      { id: own.data!.suspensions.edges[0]!.node.id },
      b.apiKey,
    );
    expect(lift.data!.liftSuspension.userErrors[0]!.code).toBe('NOT_FOUND');
  });

  it('scopes: downloads:read cannot write; without downloads:read grants are not readable', async () => {
    const reader = await api.merchantWithKey('Reader', ['orders:read', 'downloads:read']);
    const res = await api.gql<{ downloadLink: unknown }>(
      'mutation { downloadLink(grantId: "00000000-0000-0000-0000-000000000000") { link { url } } }',
      {},
      reader.apiKey,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noDl = await api.merchantWithKey('Orders only', ['orders:read']);
    const q = await api.gql(
      '{ orders(first: 1) { edges { node { downloadGrants { id } } } } downloadEvents(first: 1) { edges { node { id } } } }',
      {},
      noDl.apiKey,
    );
    expect(q.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
