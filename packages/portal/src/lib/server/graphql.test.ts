import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGraphqlClient, GraphqlError } from './graphql.js';

type FetchCall = { url: string; init: RequestInit };

function fakeFetch(respond: (call: FetchCall) => Response | Promise<Response>) {
  const calls: FetchCall[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const call = { url: String(input), init: init ?? {} };
    calls.push(call);
    return respond(call);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function caught(promise: Promise<unknown>): Promise<GraphqlError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphqlError);
  return error as GraphqlError;
}

describe('createGraphqlClient', () => {
  it('POSTs the query and variables as JSON with the preflight and auth headers', async () => {
    const { fetch, calls } = fakeFetch(() => json({ data: { viewer: { id: 'm1' } } }));
    const client = createGraphqlClient({ url: 'http://127.0.0.1:4000/graphql', token: 'hk_secret', fetch });

    const data = await client.request<{ viewer: { id: string } }, { first: number }>(
      'query Q($first: Int) { viewer { id } }',
      {
        first: 2,
      },
    );

    expect(data).toEqual({ viewer: { id: 'm1' } });
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe('http://127.0.0.1:4000/graphql');
    expect(call?.init.method).toBe('POST');
    expect(JSON.parse(String(call?.init.body))).toEqual({
      query: 'query Q($first: Int) { viewer { id } }',
      variables: { first: 2 },
    });
    const headers = new Headers(call?.init.headers);
    expect(headers.get('content-type')).toBe('application/json');
    expect(headers.get('apollo-require-preflight')).toBe('true');
    expect(headers.get('authorization')).toBe('Bearer hk_secret');
  });

  it('sends no authorization header without a token', async () => {
    const { fetch, calls } = fakeFetch(() => json({ data: {} }));
    await createGraphqlClient({ url: 'http://127.0.0.1:1/graphql', fetch }).request('{ __typename }');
    expect(new Headers(calls[0]?.init.headers).has('authorization')).toBe(false);
    expect(JSON.parse(String(calls[0]?.init.body)).variables).toEqual({});
  });

  it('throws the first error with its extensions.code, even alongside partial data', async () => {
    const errors = [
      { message: 'Order not found', path: ['order'], extensions: { code: 'NOT_FOUND' } },
      { message: 'Second', extensions: { code: 'FORBIDDEN' } },
    ];
    const { fetch } = fakeFetch(() => json({ data: { order: null }, errors }));
    const error = await caught(createGraphqlClient({ url: 'http://127.0.0.1:1/', fetch }).request('{ order { id } }'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('Order not found');
    expect(error.status).toBe(200);
    expect(error.errors).toHaveLength(2);
  });

  it('keeps the HTTP status of error responses (401 from a bad API key)', async () => {
    const { fetch } = fakeFetch(() =>
      json(
        { errors: [{ message: 'The API key is invalid or revoked', extensions: { code: 'UNAUTHENTICATED' } }] },
        401,
      ),
    );
    const error = await caught(
      createGraphqlClient({ url: 'http://127.0.0.1:1/', token: 'bad', fetch }).request('{ viewer { id } }'),
    );
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.status).toBe(401);
  });

  it('uses UNKNOWN when an error carries no code', async () => {
    const { fetch } = fakeFetch(() => json({ errors: [{ message: 'odd' }] }, 400));
    const error = await caught(createGraphqlClient({ url: 'http://127.0.0.1:1/', fetch }).request('{ x }'));
    expect(error.code).toBe('UNKNOWN');
  });

  it('reports an HTTP failure without a GraphQL body as HTTP_ERROR', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = await caught(createGraphqlClient({ url: 'http://127.0.0.1:1/', fetch }).request('{ x }'));
    expect(error.code).toBe('HTTP_ERROR');
    expect(error.status).toBe(502);
  });

  it('reports a 200 without data as BAD_RESPONSE', async () => {
    for (const body of [new Response('not json'), json({ data: null }), json([1, 2])]) {
      const { fetch } = fakeFetch(() => body);
      const error = await caught(createGraphqlClient({ url: 'http://127.0.0.1:1/', fetch }).request('{ x }'));
      expect(error.code).toBe('BAD_RESPONSE');
    }
  });

  it('reports a refused connection as NETWORK_ERROR without leaking variables', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const error = await caught(
      createGraphqlClient({ url: 'http://127.0.0.1:1/', fetch }).request('query($code: String!) { x }', {
        code: 'secret-code',
      }),
    );
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.status).toBe(0);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.message).not.toContain('secret-code');
  });

  it('gives up after the timeout', async () => {
    const { fetch } = fakeFetch(
      ({ init }) =>
        new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    );
    const error = await caught(
      createGraphqlClient({ url: 'http://127.0.0.1:1/', fetch, timeoutMs: 20 }).request('{ x }'),
    );
    expect(error.code).toBe('TIMEOUT');
  });

  it('passes the caller’s abort signal through', async () => {
    const { fetch } = fakeFetch(
      ({ init }) =>
        new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    );
    const controller = new AbortController();
    const pending = createGraphqlClient({ url: 'http://127.0.0.1:1/', fetch }).request(
      '{ x }',
      {},
      { signal: controller.signal },
    );
    controller.abort();
    const error = await caught(pending);
    expect(error.code).toBe('NETWORK_ERROR');
  });

  it('talks to a real HTTP server with the global fetch', async () => {
    let seen: { method?: string; headers: IncomingHttpHeaders; body: string } | undefined;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen = { method: req.method, headers: req.headers, body };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { ok: true } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const data = await createGraphqlClient({ url: `http://127.0.0.1:${port}/graphql`, token: 't0k' }).request<{
        ok: boolean;
      }>('{ ok }');
      expect(data.ok).toBe(true);
      expect(seen?.method).toBe('POST');
      expect(seen?.headers['apollo-require-preflight']).toBe('true');
      expect(seen?.headers.authorization).toBe('Bearer t0k');
      expect(JSON.parse(seen?.body ?? '')).toEqual({ query: '{ ok }', variables: {} });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
