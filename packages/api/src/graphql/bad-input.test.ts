import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodeCursor } from './relay.js';
import { seedOrders } from '../testing/order-factory.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

describe('bad input gets the right code and changes nothing', () => {
  let api: TestApi;
  let key: string;
  let readOnlyKey: string;
  let productCount: () => Promise<number>;

  beforeAll(async () => {
    api = await startTestApi(inject('database'), {
      env: { GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_COMPLEXITY: '500', GRAPHQL_MAX_ALIASES: '5' },
    });
    const m = await api.merchantWithKey();
    key = m.apiKey;
    readOnlyKey = (await api.merchantWithKey('Read only', ['orders:read', 'catalog:read'])).apiKey;
    await seedOrders(api.orm.em.fork(), m.merchantId, 5);
    productCount = async () =>
      Number(
        (await api.orm.em.fork().getConnection().execute<{ n: number }[]>('select count(*)::int as n from product'))[0]!
          .n,
      );
  });
  afterAll(() => api.close());

  it('a missing scope is FORBIDDEN and writes nothing', async () => {
    const before = await productCount();
    const res = await api.gql(
      'mutation { createProduct(input: { sku: "X1", name: "X" }) { product { id } } }',
      {},
      readOnlyKey,
    );
    expect(code(res)).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.message).toContain('catalog:write');
    expect(await productCount()).toBe(before);
  });

  it('a malformed Authorization header is UNAUTHENTICATED', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic Zm9vOmJhcg==' },
      body: JSON.stringify({ query: '{ viewer { name } }' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it.each([
    ['garbage', 'not-a-cursor!!'],
    ['wrong shape', encodeCursor(['x'])],
    ['wrong types', encodeCursor([1, 2])],
    ['bad date', encodeCursor(['yesterday', '00000000-0000-0000-0000-000000000000'])],
    ['bad id', encodeCursor(['2026-01-01T00:00:00.000Z', "1' or 1=1"])],
    ['too long', 'a'.repeat(2000)],
  ])('a malformed cursor (%s) is BAD_USER_INPUT', async (_name, after) => {
    const res = await api.gql(
      'query($after: String) { orders(first: 2, after: $after) { edges { cursor } } }',
      { after },
      key,
    );
    expect(code(res)).toBe('BAD_USER_INPUT');
  });

  it('cursors page through every order exactly once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: {
        data?: {
          orders: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        } | null;
      } = await api.gql(
        'query($after: String) { orders(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { after },
        key,
      );
      seen.push(...res.data!.orders.edges.map((e) => e.node.id));
      if (!res.data!.orders.pageInfo.hasNextPage) break;
      after = res.data!.orders.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it('page size outside 1..100 is BAD_USER_INPUT', async () => {
    for (const first of [0, -1, 101]) {
      const res = await api.gql('query($first: Int!) { products(first: $first) { edges { cursor } } }', { first }, key);
      expect(code(res)).toBe('BAD_USER_INPUT');
    }
  });

  it('an over-deep query is QUERY_TOO_COMPLEX', async () => {
    const res = await api.gql(
      '{ orders(first: 1) { edges { node { items { product { files { displayName } } } } } } }',
      {},
      key,
    );
    expect(code(res)).toBe('QUERY_TOO_COMPLEX');
    expect(res.status).toBe(400);
  });

  it('an over-complex query is QUERY_TOO_COMPLEX before any resolver runs', async () => {
    api.queries.length = 0;
    const res = await api.gql(
      '{ orders(first: 100) { edges { node { id number status items { sku title } events { type } } } } }',
      {},
      key,
    );
    expect(code(res)).toBe('QUERY_TOO_COMPLEX');
    expect(api.queries.filter((q) => q.includes('"order"'))).toHaveLength(0);
  });

  it('alias amplification is QUERY_TOO_COMPLEX', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `v${i}: viewer { name }`).join(' ');
    const res = await api.gql(`{ ${aliases} }`, {}, key);
    expect(code(res)).toBe('QUERY_TOO_COMPLEX');
  });

  it('introspection fields count too: aliased __typename, and depth inside __schema', async () => {
    const aliases = Array.from({ length: 6 }, (_, i) => `t${i}: __typename`).join(' ');
    expect(code(await api.gql(`{ ${aliases} }`, {}, key))).toBe('QUERY_TOO_COMPLEX');
    const deep = '{ __schema { queryType { fields { args { type { fields { name } } } } } } }';
    expect(code(await api.gql(deep, {}, key))).toBe('QUERY_TOO_COMPLEX');
    // ofType only unwraps one object, so its chain adds no depth.
    const unwrapping = '{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }';
    expect(code(await api.gql(unwrapping, {}, key))).toBeUndefined();
  });

  it('batched HTTP requests are refused', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify([{ query: '{ viewer { name } }' }, { query: '{ viewer { name } }' }]),
    });
    expect(res.status).toBe(400);
  });

  it('a simple form POST (CSRF) is refused', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { name } }' }),
    });
    expect(res.status).toBe(400);
  });

  it.each([
    [{ sku: '', name: 'Empty SKU' }, 'sku'],
    [{ sku: 'HAS SPACE', name: 'x' }, 'sku'],
    [{ sku: 'OK-1', name: '' }, 'name'],
    [{ sku: 'OK-2', name: 'x', downloadLimit: 0 }, 'downloadLimit'],
    [{ sku: 'OK-3', name: 'x', downloadValidityDays: -5 }, 'downloadValidityDays'],
  ])('invalid product input %j is a BAD_USER_INPUT userError on %s and writes nothing', async (input, field) => {
    const before = await productCount();
    const res = await api.gql<{ createProduct: { product: unknown; userErrors: { field: string[]; code: string }[] } }>(
      'mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id } userErrors { field code message } } }',
      { i: input },
      key,
    );
    expect(res.data?.createProduct.product).toBeNull();
    expect(res.data?.createProduct.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: [field] });
    expect(await productCount()).toBe(before);
  });

  it('a wrongly typed variable is BAD_USER_INPUT', async () => {
    const res = await api.gql(
      'query($first: Int!) { orders(first: $first) { edges { cursor } } }',
      { first: 'ten' },
      key,
    );
    expect(code(res)).toBe('BAD_USER_INPUT');
  });

  it('a duplicate SKU is a CONFLICT userError; the first product stays as it was', async () => {
    const m =
      'mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id name } userErrors { code field } } }';
    const first = await api.gql<{ createProduct: { product: { id: string } } }>(
      m,
      { i: { sku: 'DUP-1', name: 'Original' } },
      key,
    );
    expect(first.data?.createProduct.product.id).toBeTruthy();
    const second = await api.gql<{ createProduct: { userErrors: { code: string }[] } }>(
      m,
      { i: { sku: 'DUP-1', name: 'Copy' } },
      key,
    );
    expect(second.data?.createProduct.userErrors[0]?.code).toBe('CONFLICT');
    const list = await api.gql<{ products: { edges: { node: { name: string } }[] } }>(
      '{ products(first: 10, filter: { search: "DUP-1" }) { edges { node { name } } } }',
      {},
      key,
    );
    expect(list.data?.products.edges.map((e) => e.node.name)).toEqual(['Original']);
  });

  it('an unknown or malformed id is null, never a 500', async () => {
    for (const id of ['nope', '00000000-0000-0000-0000-000000000000', "'; drop table product; --"]) {
      const res = await api.gql<{ order: unknown; product: unknown }>(
        'query($id: ID!) { order(id: $id) { id } product(id: $id) { id } }',
        { id },
        key,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ order: null, product: null });
    }
  });

  it('an unexpected failure is masked as INTERNAL_SERVER_ERROR', async () => {
    const em = api.orm.em.fork();
    await em.getConnection().execute('alter table product rename column name to name_gone');
    try {
      const res = await api.gql('{ products(first: 1) { edges { node { name } } } }', {}, key);
      expect(code(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(res.errors?.[0]?.message).not.toMatch(/name_gone|column|select/i);
    } finally {
      await em.getConnection().execute('alter table product rename column name_gone to name');
    }
  });
});
