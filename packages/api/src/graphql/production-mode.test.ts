import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.js';

/** NODE_ENV=production: no schema introspection, no stack traces, the same answers otherwise. */
describe('production mode', () => {
  let api: TestApi;
  let key: string;
  beforeAll(async () => {
    api = await startTestApi(inject('database'), { env: { NODE_ENV: 'production' } });
    key = (await api.merchantWithKey('Prod shop')).apiKey;
  });
  afterAll(() => api.close());

  it('refuses introspection', async () => {
    const res = await api.gql('{ __schema { types { name } } }', {}, key);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.data).toBeUndefined();
  });

  it.each([
    ['a field', '{ viewr { name } }', {}],
    ['an argument', '{ orders(frist: 1) { edges { cursor } } }', {}],
    ['a type', 'query($f: OrderFilterInpt) { orders(first: 1, filter: $f) { edges { cursor } } }', {}],
    ['an input field', '{ orders(first: 1, filter: { serch: "x" }) { edges { cursor } } }', {}],
    ['an enum value', '{ orders(first: 1, filter: { statuses: [PAIDD] }) { edges { cursor } } }', {}],
    [
      'an enum value in a variable',
      'query($f: OrderFilterInput) { orders(first: 1, filter: $f) { edges { cursor } } }',
      { f: { statuses: ['PAIDD'] } },
    ],
    [
      'an input field in a variable',
      'query($f: OrderFilterInput) { orders(first: 1, filter: $f) { edges { cursor } } }',
      { f: { serch: 'x' } },
    ],
  ])('a misspelt %s gets no "Did you mean" naming schema members', async (_what, query, variables) => {
    const res = await api.gql(query, variables, key);
    expect(res.status).toBe(400);
    expect(res.errors?.length).toBeGreaterThan(0);
    for (const error of res.errors!) {
      expect(error.message).not.toMatch(/did you mean/i);
      expect(error.message).not.toMatch(/"(viewer|first|search|PAID)"/);
    }
  });

  it('counts aliased __typename selections against the alias limit', async () => {
    const aliases = Array.from({ length: 600 }, (_, i) => `a${i}: __typename`).join(' ');
    const res = await api.gql(`{ ${aliases} }`, {}, key);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('still answers ordinary queries', async () => {
    const res = await api.gql<{ viewer: { name: string } }>('{ viewer { name } }', {}, key);
    expect(res.data?.viewer.name).toBe('Prod shop');
  });
});
