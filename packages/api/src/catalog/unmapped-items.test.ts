import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeCursor } from '../graphql/relay.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

const UNMAPPED = `query($first: Int!, $after: String) {
  unmappedItems(first: $first, after: $after) {
    edges { node { sku title orderCount lastSeenAt connection { id name } } cursor }
    pageInfo { hasNextPage endCursor }
  }
}`;
const MAP = `mutation($c: ID!, $sku: String!, $p: ID!) {
  mapChannelSku(connectionId: $c, channelSku: $sku, productId: $p) {
    listing { id channelSku product { id sku } connection { id } }
    updatedItems
    userErrors { field code message }
  }
}`;
const IMPORT = `mutation($c: ID!, $o: [GenericOrderInput!]!) { importOrders(connectionId: $c, orders: $o) { created userErrors { message } } }`;

interface Node {
  sku: string;
  title: string;
  orderCount: number;
  lastSeenAt: string;
  connection: { id: string; name: string };
}
interface MapPayload {
  listing: { id: string; channelSku: string; product: { id: string; sku: string }; connection: { id: string } } | null;
  updatedItems: number;
  userErrors: { field: string[] | null; code: string }[];
}

const line = (sku: string | null, title = `Title ${sku}`) => ({ sku, title, quantity: 1, unitPrice: 500 });
const order = (id: string, day: number, items: ReturnType<typeof line>[]) => ({
  externalId: id,
  currency: 'EUR',
  items,
  createdAt: `2026-04-${String(day).padStart(2, '0')}T08:00:00Z`,
});

describe('unmappedItems and mapChannelSku', () => {
  let api: TestApi;
  let key: string;
  let connA: string;
  let connB: string;
  let productP: string;
  let productQ: string;
  const sql = <T>(query: string, params: unknown[] = []) =>
    api.orm.em.fork().getConnection().execute<T[]>(query, params);
  const gql = async <T>(query: string, variables: Record<string, unknown>) => {
    const res = await api.gql<T>(query, variables, key);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const push = async (connectionId: string, orders: unknown[]) => {
    const res = await gql<{ importOrders: { created: number; userErrors: unknown[] } }>(IMPORT, {
      c: connectionId,
      o: orders,
    });
    expect(res.importOrders.userErrors).toEqual([]);
  };
  const unmapped = async (first = 50, after?: string) =>
    (
      await gql<{
        unmappedItems: {
          edges: { node: Node; cursor: string }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      }>(UNMAPPED, { first, after })
    ).unmappedItems;
  const productOfLines = (connectionId: string, sku: string) =>
    sql<{ product_id: string | null }>(
      `select i.product_id from order_item i join "order" o on o.id = i.order_id where o.connection_id = ? and i.sku = ? order by o.external_id`,
      [connectionId, sku],
    );

  beforeAll(async () => {
    api = await startTestApi(inject('database'));
    ({ apiKey: key } = await api.merchantWithKey('Mapping shop'));
    const conn = async (name: string) =>
      (
        await gql<{ createChannelConnection: { connection: { id: string } } }>(
          'mutation($n: String!) { createChannelConnection(input: { kind: "generic", name: $n }) { connection { id } } }',
          { n: name },
        )
      ).createChannelConnection.connection.id;
    connA = await conn('Shop A');
    connB = await conn('Shop B');
    const product = async (sku: string) =>
      (
        await gql<{ createProduct: { product: { id: string } } }>(
          'mutation($s: String!) { createProduct(input: { sku: $s, name: $s }) { product { id } } }',
          { s: sku },
        )
      ).createProduct.product.id;
    productP = await product('CAT-P');
    productQ = await product('KNOWN');

    await push(connA, [
      order('A1', 1, [line('UNK-1'), line('KNOWN'), line(null, 'No SKU at all')]),
      order('A2', 3, [line('UNK-1'), line('UNK-1')]),
      order('A3', 2, [line('UNK-2')]),
    ]);
    await push(connB, [order('B1', 5, [line('UNK-1', 'Other title')])]);
  });
  afterAll(() => api.close());

  it('groups lines without a product by (SKU, connection), keyset-paginated, one aggregate statement', async () => {
    const all = await unmapped();
    const groups = all.edges.map((e) => e.node);
    const expected = [
      { sku: 'UNK-1', connection: connA, orderCount: 2, lastSeenAt: '2026-04-03T08:00:00.000Z', title: 'Title UNK-1' },
      { sku: 'UNK-1', connection: connB, orderCount: 1, lastSeenAt: '2026-04-05T08:00:00.000Z', title: 'Other title' },
      { sku: 'UNK-2', connection: connA, orderCount: 1, lastSeenAt: '2026-04-02T08:00:00.000Z', title: 'Title UNK-2' },
    ].sort((a, b) => a.sku.localeCompare(b.sku) || a.connection.localeCompare(b.connection));
    expect(groups.map((g) => ({ ...g, connection: g.connection.id }))).toEqual(expected);

    const first = await unmapped(2);
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await unmapped(2, first.pageInfo.endCursor);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect([...first.edges, ...rest.edges].map((e) => e.cursor)).toEqual(all.edges.map((e) => e.cursor));

    await api.gql('{ viewer { name } }', {}, key);
    api.queries.length = 0;
    await unmapped();
    // auth + the aggregate + connections
    expect(api.queries.length).toBeLessThanOrEqual(3);
  });

  it('a bad cursor is BAD_USER_INPUT', async () => {
    for (const after of ['garbage!!', encodeCursor(['UNK-1', "x' or 1=1"]), encodeCursor([1, 2])]) {
      const res = await api.gql(UNMAPPED, { first: 5, after }, key);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('mapChannelSku maps existing lines of that connection only, and later imports use the listing', async () => {
    const res = (await gql<{ mapChannelSku: MapPayload }>(MAP, { c: connA, sku: 'UNK-1', p: productP })).mapChannelSku;
    expect(res.userErrors).toEqual([]);
    expect(res.updatedItems).toBe(3);
    expect(res.listing).toMatchObject({ channelSku: 'UNK-1', product: { id: productP }, connection: { id: connA } });
    expect((await productOfLines(connA, 'UNK-1')).map((r) => r.product_id)).toEqual([productP, productP, productP]);
    expect((await productOfLines(connB, 'UNK-1')).map((r) => r.product_id)).toEqual([null]);
    const left = (await unmapped()).edges.map((e) => [e.node.sku, e.node.connection.id]);
    expect(left).toContainEqual(['UNK-1', connB]);
    expect(left).not.toContainEqual(['UNK-1', connA]);

    await push(connA, [order('A4', 6, [line('UNK-1')])]);
    const [a4] = await sql<{ product_id: string }>(
      `select i.product_id from order_item i join "order" o on o.id = i.order_id where o.external_id = 'A4'`,
    );
    expect(a4!.product_id).toBe(productP);

    // Remapping updates the listing in place; lines that already have a product stay as they are.
    const again = (await gql<{ mapChannelSku: MapPayload }>(MAP, { c: connA, sku: 'UNK-1', p: productQ }))
      .mapChannelSku;
    expect(again.listing).toMatchObject({ id: res.listing!.id, product: { id: productQ } });
    expect(again.updatedItems).toBe(0);
    expect(await sql('select 1 from channel_listing where connection_id = ?', [connA])).toHaveLength(1);
  });

  it('bad input is a userError and writes nothing', async () => {
    const listings = async () => (await sql('select 1 from channel_listing')).length;
    const before = await listings();
    for (const [vars, code] of [
      [{ c: connA, sku: 'UNK-2', p: '00000000-0000-0000-0000-000000000000' }, 'NOT_FOUND'],
      [{ c: connA, sku: 'UNK-2', p: 'nope' }, 'NOT_FOUND'],
      [{ c: 'nope', sku: 'UNK-2', p: productP }, 'NOT_FOUND'],
      [{ c: connA, sku: '   ', p: productP }, 'BAD_USER_INPUT'],
      [{ c: connA, sku: 'x'.repeat(121), p: productP }, 'BAD_USER_INPUT'],
    ] as const) {
      const res = (await gql<{ mapChannelSku: MapPayload }>(MAP, vars)).mapChannelSku;
      expect(res.listing).toBeNull();
      expect(res.userErrors[0]!.code).toBe(code);
    }
    expect(await listings()).toBe(before);
    expect((await productOfLines(connA, 'UNK-2')).map((r) => r.product_id)).toEqual([null]);
  });

  it('scopes: catalog:read lists, catalog:write maps', async () => {
    const reader = await api.merchantWithKey('Catalog reader', ['catalog:read']);
    expect((await api.gql(UNMAPPED, { first: 5 }, reader.apiKey)).errors).toBeUndefined();
    const res = await api.gql(MAP, { c: connA, sku: 'UNK-2', p: productP }, reader.apiKey);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
