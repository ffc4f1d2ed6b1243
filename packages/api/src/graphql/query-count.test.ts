import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedOrders } from '../testing/order-factory.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

const PAGE_QUERY = `query($first: Int!) {
  orders(first: $first) {
    edges { node { id number status items { sku product { id name files { displayName } } } events { type } channel { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** DataLoaders keep a page at a constant number of SQL statements, whatever its size. */
describe('orders page query count', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await startTestApi(inject('database'));
    const m = await api.merchantWithKey();
    key = m.apiKey;
    await seedOrders(api.orm.em.fork(), m.merchantId, 60);
  });
  afterAll(() => api.close());

  async function statementsFor(first: number): Promise<number> {
    // Warm up the key's lastUsedAt write so both measurements see the same auth path.
    await api.gql('{ viewer { name } }', {}, key);
    api.queries.length = 0;
    const res = await api.gql<{ orders: { edges: unknown[] } }>(PAGE_QUERY, { first }, key);
    expect(res.errors).toBeUndefined();
    expect(res.data?.orders.edges).toHaveLength(first);
    return api.queries.length;
  }

  it('10 and 50 orders cost the same number of statements', async () => {
    const ten = await statementsFor(10);
    const fifty = await statementsFor(50);
    expect(fifty).toBe(ten);
    // auth + orders + items + events + products + files + connections
    expect(ten).toBeLessThanOrEqual(8);
  });
});
