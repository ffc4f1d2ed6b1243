import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.js';

/** Introspection is on outside production; its fields count in the limits like any other. */
describe('query limits count introspection fields', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await startTestApi(inject('database'));
    key = (await api.merchantWithKey('Introspecting')).apiKey;
  });
  afterAll(() => api.close());

  const code = async (query: string) => {
    const res = await api.gql(query, {}, key);
    return { status: res.status, code: res.errors?.[0]?.extensions?.code ?? null };
  };
  const aliased = (n: number, selection: string) =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

  it('the standard introspection query (GraphiQL, codegen) still fits the default limits', async () => {
    const res = await api.gql<{ __schema: { types: unknown[] } }>(getIntrospectionQuery(), {}, key);
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema.types.length).toBeGreaterThan(10);
  });

  it('aliased __typename and __schema selections count against the alias limit (30)', async () => {
    expect(await code(aliased(30, '__typename'))).toEqual({ status: 200, code: null });
    expect(await code(aliased(31, '__typename'))).toEqual({ status: 400, code: 'QUERY_TOO_COMPLEX' });
    expect(await code(aliased(600, '__schema { types { name fields { name } } }'))).toEqual({
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
    });
    expect(await code(aliased(31, '__type(name: "Order") { name }'))).toEqual({
      status: 400,
      code: 'QUERY_TOO_COMPLEX',
    });
  });
});
