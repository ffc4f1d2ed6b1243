import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLoaders } from '../graphql/loaders.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { ChannelConnection } from './channel-connection.entity.js';

type Errors = { userErrors: { code: string }[] };

/** Merchant B's key reaches nothing of merchant A's through the channel, push and mapping root fields. */
describe('tenant isolation: channels, push import, unmapped items', () => {
  let api: TestApi;
  let a: { merchantId: string; apiKey: string };
  let b: { merchantId: string; apiKey: string };
  let genericA: string;
  let wooA: string;
  let productA: string;
  let productB: string;
  const em = () => api.orm.em.fork();
  const snapshot = async () =>
    JSON.stringify(
      await em()
        .getConnection()
        .execute(
          `select (select json_agg(c order by c.id) from channel_connection c where c.merchant_id = ?) as connections,
                  (select count(*) from "order" where merchant_id = ?) as orders,
                  (select json_agg(i.product_id order by i.id) from order_item i where i.merchant_id = ?) as items,
                  (select count(*) from channel_listing) as listings,
                  (select count(*) from pgboss.job where name = 'channel-sync') as jobs`,
          [a.merchantId, a.merchantId, a.merchantId],
        ),
    );

  beforeAll(async () => {
    api = await startTestApi(inject('database'), { connectorOverrides: { sleep: async () => {} } });
    a = await api.merchantWithKey('Shop A');
    b = await api.merchantWithKey('Shop B');
    const create = async (input: Record<string, unknown>) =>
      (
        await api.gql<{ createChannelConnection: { connection: { id: string } } }>(
          'mutation($i: CreateChannelConnectionInput!) { createChannelConnection(input: $i) { connection { id } } }',
          { i: input },
          a.apiKey,
        )
      ).data!.createChannelConnection.connection.id;
    genericA = await create({ kind: 'generic', name: 'A push' });
    wooA = await create({
      kind: 'woocommerce',
      name: 'A woo',
      settings: { baseUrl: 'http://127.0.0.1:9' },
      credentials: { consumerKey: 'ck_a', consumerSecret: 'cs_a' },
    });
    const product = async (key: string) =>
      (
        await api.gql<{ createProduct: { product: { id: string } } }>(
          'mutation { createProduct(input: { sku: "P-1", name: "P" }) { product { id } } }',
          {},
          key,
        )
      ).data!.createProduct.product.id;
    productA = await product(a.apiKey);
    productB = await product(b.apiKey);
    const res = await api.gql<{ importOrders: { created: number } }>(
      'mutation($c: ID!) { importOrders(connectionId: $c, orders: [{ externalId: "A-1", currency: "EUR", createdAt: "2026-01-01T00:00:00Z", items: [{ sku: "UNMAPPED", title: "T", quantity: 1, unitPrice: 100 }] }]) { created } }',
      { c: genericA },
      a.apiKey,
    );
    expect(res.data!.importOrders.created).toBe(1);
  });
  afterAll(() => api.close());

  it("channelConnection(id) and channelConnections hide the other merchant's connections", async () => {
    const one = await api.gql<{ channelConnection: unknown }>(
      'query($id: ID!) { channelConnection(id: $id) { id } }',
      { id: wooA },
      b.apiKey,
    );
    expect(one.errors).toBeUndefined();
    expect(one.data!.channelConnection).toBeNull();
    const list = await api.gql<{ channelConnections: { edges: unknown[] } }>(
      '{ channelConnections(first: 50) { edges { node { id } } } }',
      {},
      b.apiKey,
    );
    expect(list.data!.channelConnections.edges).toHaveLength(0);
    const own = await api.gql<{ channelConnections: { edges: unknown[] } }>(
      '{ channelConnections(first: 50) { edges { node { id } } } }',
      {},
      a.apiKey,
    );
    expect(own.data!.channelConnections.edges).toHaveLength(2);
  });

  it('loaders never return foreign rows: lastRun and hasCredentials are scoped to the caller', async () => {
    const loaders = createLoaders(em(), () => b.merchantId);
    expect(await loaders.connectionHasCredentials.load(wooA)).toBe(false);
    await api.services.sync.run(em(), wooA, 'manual');
    expect(await loaders.latestSyncRun.load(wooA)).toBeNull();
    const own = createLoaders(em(), () => a.merchantId);
    expect(await own.connectionHasCredentials.load(wooA)).toBe(true);
    expect((await own.latestSyncRun.load(wooA))?.status).toBe('failed');
  });

  it('every channel mutation on a foreign connection is NOT_FOUND and changes nothing', async () => {
    const before = await snapshot();
    const mutations: [string, Record<string, unknown>][] = [
      [
        'mutation($id: ID!) { updateChannelConnection(id: $id, input: { name: "pwned", credentials: { consumerKey: "x" } }) { connection { id } userErrors { code } } }',
        { id: wooA },
      ],
      ['mutation($id: ID!) { deleteChannelConnection(id: $id) { deletedId userErrors { code } } }', { id: wooA }],
      ['mutation($id: ID!) { deleteChannelConnection(id: $id) { deletedId userErrors { code } } }', { id: genericA }],
      ['mutation($id: ID!) { testChannelConnection(id: $id) { ok userErrors { code } } }', { id: wooA }],
      ['mutation($id: ID!) { syncConnection(id: $id) { queued userErrors { code } } }', { id: wooA }],
      [
        'mutation($id: ID!) { importOrders(connectionId: $id, orders: [{ externalId: "B-1", currency: "EUR", items: [{ title: "T", quantity: 1, unitPrice: 1 }] }]) { created userErrors { code } } }',
        { id: genericA },
      ],
      [
        'mutation($id: ID!) { importOrdersCsv(connectionId: $id, csv: "external_id,currency,title,quantity,unit_price\\nB-2,EUR,T,1,1") { created userErrors { code } } }',
        { id: genericA },
      ],
      [
        'mutation($id: ID!, $p: ID!) { mapChannelSku(connectionId: $id, channelSku: "UNMAPPED", productId: $p) { listing { id } userErrors { code } } }',
        { id: genericA, p: productB },
      ],
    ];
    for (const [query, vars] of mutations) {
      const res = await api.gql<Record<string, Errors>>(query, vars, b.apiKey);
      expect(res.errors, query).toBeUndefined();
      expect(
        Object.values(res.data!)[0]!.userErrors.map((e) => e.code),
        query,
      ).toEqual(['NOT_FOUND']);
    }
    // B's own connection with A's product: the product is not B's.
    const ownB = await api.gql<{ createChannelConnection: { connection: { id: string } } }>(
      'mutation { createChannelConnection(input: { kind: "generic", name: "B push" }) { connection { id } } }',
      {},
      b.apiKey,
    );
    const map = await api.gql<{ mapChannelSku: Errors }>(
      'mutation($c: ID!, $p: ID!) { mapChannelSku(connectionId: $c, channelSku: "UNMAPPED", productId: $p) { userErrors { code } } }',
      { c: ownB.data!.createChannelConnection.connection.id, p: productA },
      b.apiKey,
    );
    expect(map.data!.mapChannelSku.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    expect(await snapshot()).toBe(before);
    expect((await em().findOneOrFail(ChannelConnection, wooA)).name).toBe('A woo');
  });

  it("unmappedItems lists only the caller's lines", async () => {
    const q = '{ unmappedItems(first: 50) { edges { node { sku connection { id } } } } }';
    const foreign = await api.gql<{ unmappedItems: { edges: unknown[] } }>(q, {}, b.apiKey);
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data!.unmappedItems.edges).toHaveLength(0);
    const own = await api.gql<{ unmappedItems: { edges: { node: { sku: string; connection: { id: string } } }[] } }>(
      q,
      {},
      a.apiKey,
    );
    expect(own.data!.unmappedItems.edges.map((e) => e.node)).toEqual([
      { sku: 'UNMAPPED', connection: { id: genericA } },
    ]);
  });
});
