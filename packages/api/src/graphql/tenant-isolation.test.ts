import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedOrders, type SeededOrders } from '../testing/order-factory.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

/** Merchant B's key reaches nothing of merchant A's, through every root field. */
describe('tenant isolation', () => {
  let api: TestApi;
  let a: { merchantId: string; apiKey: string };
  let b: { merchantId: string; apiKey: string };
  let seededA: SeededOrders;

  beforeAll(async () => {
    api = await startTestApi(inject('database'));
    a = await api.merchantWithKey('Shop A');
    b = await api.merchantWithKey('Shop B');
    seededA = await seedOrders(api.orm.em.fork(), a.merchantId, 3, { emailDomain: 'a.example' });
  });
  afterAll(() => api.close());

  it('viewer is the key owner', async () => {
    const res = await api.gql<{ viewer: { name: string } }>('{ viewer { name } }', {}, b.apiKey);
    expect(res.data?.viewer.name).toBe('Shop B');
  });

  it('order(id) of another merchant is null, like an unknown id', async () => {
    const q = 'query($id: ID!) { order(id: $id) { id number } }';
    const own = await api.gql<{ order: { id: string } | null }>(q, { id: seededA.orderIds[0] }, a.apiKey);
    expect(own.data?.order?.id).toBe(seededA.orderIds[0]);
    const foreign = await api.gql<{ order: unknown }>(q, { id: seededA.orderIds[0] }, b.apiKey);
    expect(foreign.errors).toBeUndefined();
    expect(foreign.data?.order).toBeNull();
  });

  it("orders lists only own orders, even filtered by the other merchant's connection or email", async () => {
    const q = 'query($f: OrderFilterInput) { orders(first: 50, filter: $f) { edges { node { id } } } }';
    for (const filter of [null, { connectionId: seededA.connectionId }, { search: 'a.example' }]) {
      const res = await api.gql<{ orders: { edges: unknown[] } }>(q, { f: filter }, b.apiKey);
      expect(res.errors).toBeUndefined();
      expect(res.data?.orders.edges).toHaveLength(0);
    }
    const own = await api.gql<{ orders: { edges: unknown[] } }>(q, { f: { search: 'a.example' } }, a.apiKey);
    expect(own.data?.orders.edges).toHaveLength(3);
  });

  it("product(id) and products hide the other merchant's catalog", async () => {
    const one = await api.gql<{ product: unknown }>(
      'query($id: ID!) { product(id: $id) { id } }',
      { id: seededA.productIds[0] },
      b.apiKey,
    );
    expect(one.data?.product).toBeNull();
    const list = await api.gql<{ products: { edges: unknown[] } }>(
      '{ products(first: 50) { edges { node { id } } } }',
      {},
      b.apiKey,
    );
    expect(list.data?.products.edges).toHaveLength(0);
  });

  it('updateProduct on a foreign product is NOT_FOUND and changes nothing', async () => {
    const res = await api.gql<{ updateProduct: { product: unknown; userErrors: { code: string }[] } }>(
      'mutation($id: ID!) { updateProduct(id: $id, input: { name: "pwned" }) { product { id } userErrors { code message } } }',
      { id: seededA.productIds[0] },
      b.apiKey,
    );
    expect(res.data?.updateProduct.product).toBeNull();
    expect(res.data?.updateProduct.userErrors[0]?.code).toBe('NOT_FOUND');
    const own = await api.gql<{ product: { name: string } }>(
      'query($id: ID!) { product(id: $id) { name } }',
      { id: seededA.productIds[0] },
      a.apiKey,
    );
    expect(own.data?.product.name).toBe('Product 0');
  });

  it("createProduct writes into the caller's own catalog only; the same SKU may exist per merchant", async () => {
    const m =
      'mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id sku } userErrors { code } } }';
    const input = { sku: 'SHARED-SKU', name: 'Shared' };
    const ra = await api.gql<{ createProduct: { product: { id: string } } }>(m, { i: input }, a.apiKey);
    const rb = await api.gql<{ createProduct: { product: { id: string } } }>(m, { i: input }, b.apiKey);
    expect(ra.data?.createProduct.product.id).toBeTruthy();
    expect(rb.data?.createProduct.product.id).toBeTruthy();
    const bList = await api.gql<{ products: { edges: { node: { sku: string } }[] } }>(
      '{ products(first: 50) { edges { node { sku } } } }',
      {},
      b.apiKey,
    );
    expect(bList.data?.products.edges.map((e) => e.node.sku)).toEqual(['SHARED-SKU']);
  });

  it('nested relations never cross merchants (items, products, events, channel)', async () => {
    const res = await api.gql<{
      orders: {
        edges: { node: { items: { product: { id: string } }[]; events: unknown[]; channel: { id: string } } }[];
      };
    }>(
      '{ orders(first: 5) { edges { node { items { product { id } } events { type } channel { id } } } } }',
      {},
      a.apiKey,
    );
    const node = res.data!.orders.edges[0]!.node;
    expect(node.items.map((i) => i.product.id).sort()).toEqual([...seededA.productIds].sort());
    expect(node.events).toHaveLength(2);
    expect(node.channel.id).toBe(seededA.connectionId);
  });
});
