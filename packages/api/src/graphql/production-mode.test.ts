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

  it('still answers ordinary queries', async () => {
    const res = await api.gql<{ viewer: { name: string } }>('{ viewer { name } }', {}, key);
    expect(res.data?.viewer.name).toBe('Prod shop');
  });
});
