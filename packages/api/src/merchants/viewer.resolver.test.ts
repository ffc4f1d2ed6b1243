import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.js';

describe('viewer and API keys', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(inject('database'));
  });
  afterAll(() => api.close());

  it('answers viewer with the key owner', async () => {
    const { apiKey } = await api.merchantWithKey('Pixel Shop');
    const res = await api.gql<{ viewer: { name: string } }>('{ viewer { name } }', {}, apiKey);
    expect(res.errors).toBeUndefined();
    expect(res.data?.viewer.name).toBe('Pixel Shop');
  });

  it('asks for a key with 401 when none is sent, as for a wrong key', async () => {
    const res = await api.gql('{ viewer { name } }');
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data).toBeNull();
  });

  it('rejects an invalid key with 401', async () => {
    const res = await api.gql('{ viewer { name } }', {}, 'hk_not-a-real-key');
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('rejects a revoked key', async () => {
    const { merchantId, apiKey } = await api.merchantWithKey();
    const em = api.orm.em.fork();
    const actor = await api.services.apiKeys.authenticate(em, apiKey);
    expect(actor?.merchantId).toBe(merchantId);
    expect(await api.services.apiKeys.revoke(em, merchantId, actor!.apiKeyId)).toBe(true);
    const res = await api.gql('{ viewer { name } }', {}, apiKey);
    expect(res.status).toBe(401);
  });

  it('stores only the hash of a key', async () => {
    const { apiKey } = await api.merchantWithKey();
    const rows = await api.orm.em
      .fork()
      .getConnection()
      .execute<{ hash: string; prefix: string }[]>('select hash, prefix from api_key');
    expect(rows.some((r) => r.hash.includes(apiKey))).toBe(false);
    expect(rows.some((r) => apiKey.startsWith(r.prefix))).toBe(true);
  });
});
