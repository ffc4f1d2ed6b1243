import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.js';

/** /graphql opened in a browser works offline: our own page, nothing loaded from elsewhere. */
describe('GET /graphql in a browser', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(inject('database'), { env: { PUBLIC_URL: 'http://api.shop.example' } });
  });
  afterAll(() => api.close());

  it('serves a local page explaining how to query the API, with no scripts or outside resources', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('curl -s http://api.shop.example/graphql');
    expect(html).toContain('authorization: Bearer');
    expect(html).not.toMatch(/<script|<link|<img|<iframe/i);
    expect(html).not.toContain('apollographql.com');
  });

  it('leaves GET queries and non-browser requests to GraphQL', async () => {
    const query = await fetch(`${api.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'text/html,application/json;q=0.9', 'apollo-require-preflight': 'true' },
    });
    expect(query.headers.get('content-type')).toMatch(/json/);
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });

    const json = await fetch(`${api.url}/graphql`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(400);
    expect(json.headers.get('content-type')).toMatch(/json/);
  });
});

describe('requests without an API key', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(inject('database'));
  });
  afterAll(() => api.close());

  it('answer 401 with a Bearer challenge for a query and a mutation that need a key', async () => {
    const queries = [
      '{ viewer { name } }',
      'mutation { createProduct(input: { sku: "S", name: "S" }) { product { id } } }',
    ];
    for (const query of queries) {
      const res = await fetch(`${api.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      expect(res.status, query).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('still answer 200 for a query that needs no key', async () => {
    const res = await api.gql('{ __typename }');
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ __typename: 'Query' });
  });
});
