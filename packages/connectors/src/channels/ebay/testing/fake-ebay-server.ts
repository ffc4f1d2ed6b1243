import {
  startFakeHttpServer,
  type FakeFault,
  type FakeResponse,
  type RecordedRequest,
} from '../../http/testing/fake-http-server.js';
import type { EbayOrder } from '../ebay-types.js';

export interface FakeEbayOptions {
  orders?: EbayOrder[];
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** An access token accepted from the start (credentials tests begin with). */
  accessToken?: string;
  tokenTtlSeconds?: number;
}

export type FakeEbayFault = Omit<FakeFault, 'status'>;

export interface FakeEbay {
  url: string;
  requests: RecordedRequest[];
  /** Requests to the orders endpoint only. */
  orderRequests(): RecordedRequest[];
  /** Serves `status` (with an eBay-shaped error body unless one is given) instead of the next answer. */
  failNext(status: number, fault?: FakeEbayFault): void;
  /** Every access token issued so far stops working (401), as after eBay's two hours. */
  expireTokens(): void;
  setOrders(orders: EbayOrder[]): void;
  /** Replaces orders with the same orderId, appends new ones. */
  upsertOrders(orders: EbayOrder[]): void;
  readonly orders: readonly EbayOrder[];
  /** Access tokens the token endpoint handed out. */
  readonly issuedTokens: readonly string[];
  close(): Promise<void>;
}

const ORDER_PATH = '/sell/fulfillment/v1/order';

function ebayError(
  status: number,
  errorId: number,
  domain: string,
  message: string,
  longMessage = message,
): FakeResponse {
  return { status, body: { errors: [{ errorId, domain, category: 'REQUEST', message, longMessage }] } };
}

function defaultFaultBody(status: number): unknown {
  if (status === 429) return ebayError(429, 2001, 'ACCESS', 'Too many requests').body;
  if (status === 401) return ebayError(401, 1001, 'OAuth', 'Invalid access token').body;
  if (status >= 500) return ebayError(status, 2003, 'ACCESS', 'Internal error').body;
  return ebayError(status, 30800, 'API_FULFILLMENT', `Fault ${status}`).body;
}

interface DateRange {
  from: number;
  until: number;
}

/** `lastmodifieddate:[a..b]`, either end optional. */
function parseRange(value: string): DateRange | null {
  const match = /^\[(.*?)\.\.(.*?)\]$/.exec(value);
  if (!match) return null;
  const from = match[1] ? Date.parse(match[1]) : -Infinity;
  const until = match[2] ? Date.parse(match[2]) : Infinity;
  return Number.isNaN(from) || Number.isNaN(until) ? null : { from, until };
}

export async function startFakeEbay(options: FakeEbayOptions = {}): Promise<FakeEbay> {
  const clientId = options.clientId ?? 'ebay-client-id';
  const clientSecret = options.clientSecret ?? 'ebay-client-secret';
  const refreshToken = options.refreshToken ?? 'ebay-refresh-token';
  const ttl = options.tokenTtlSeconds ?? 7200;
  let orders = [...(options.orders ?? [])];
  const validTokens = new Set<string>(options.accessToken ? [options.accessToken] : []);
  const issuedTokens: string[] = [];

  function token(request: RecordedRequest): FakeResponse {
    const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    if (request.headers.authorization !== expected) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
    }
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== refreshToken) {
      return {
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: 'the provided authorization refresh token is invalid or was issued to another client',
        },
      };
    }
    const accessToken = `v^1.1#i^1#fake${issuedTokens.length + 1}`;
    issuedTokens.push(accessToken);
    validTokens.add(accessToken);
    return { status: 200, body: { access_token: accessToken, expires_in: ttl, token_type: 'User Access Token' } };
  }

  function listOrders(request: RecordedRequest, base: string): FakeResponse {
    const auth = request.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !validTokens.has(auth.slice(7))) {
      return ebayError(
        401,
        1001,
        'OAuth',
        'Invalid access token',
        'Invalid access token. Check the value of the Authorization HTTP request header.',
      );
    }
    const limit = Number(request.query.get('limit') ?? '50');
    const offset = Number(request.query.get('offset') ?? '0');
    if (!Number.isInteger(limit) || limit < 1 || limit > 200)
      return ebayError(400, 30700, 'API_FULFILLMENT', "Invalid 'limit' value");
    if (!Number.isInteger(offset) || offset < 0)
      return ebayError(400, 30700, 'API_FULFILLMENT', "Invalid 'offset' value");

    let selected = orders;
    for (const part of (request.query.get('filter') ?? '').split(',').filter(Boolean)) {
      const [name, value = ''] = [part.slice(0, part.indexOf(':')), part.slice(part.indexOf(':') + 1)];
      if (name === 'lastmodifieddate' || name === 'creationdate') {
        const range = parseRange(value);
        if (!range) return ebayError(400, 30800, 'API_FULFILLMENT', `Invalid filter value for ${name}`);
        const field = name === 'lastmodifieddate' ? 'lastModifiedDate' : 'creationDate';
        selected = selected.filter((o) => Date.parse(o[field]) >= range.from && Date.parse(o[field]) <= range.until);
      } else if (name === 'orderfulfillmentstatus') {
        const wanted = value.replace(/[{}]/g, '').split('|');
        selected = selected.filter((o) => wanted.includes(o.orderFulfillmentStatus));
      } else {
        return ebayError(400, 30800, 'API_FULFILLMENT', `Unsupported filter ${name}`);
      }
    }
    // eBay lists newest orders first.
    selected = [...selected].sort((a, b) => Date.parse(b.creationDate) - Date.parse(a.creationDate));
    const page = selected.slice(offset, offset + limit);
    const link = (at: number) => {
      const q = new URLSearchParams(request.query);
      q.set('offset', String(at));
      return `${base}${ORDER_PATH}?${q.toString()}`;
    };
    return {
      status: 200,
      body: {
        href: link(offset),
        total: selected.length,
        limit,
        offset,
        ...(offset + limit < selected.length ? { next: link(offset + limit) } : {}),
        ...(offset > 0 ? { prev: link(Math.max(0, offset - limit)) } : {}),
        orders: page,
      },
    };
  }

  const server = await startFakeHttpServer((request) => {
    if (request.method === 'POST' && request.path === '/identity/v1/oauth2/token') return token(request);
    if (request.method === 'GET' && request.path === ORDER_PATH) return listOrders(request, server.url);
    return ebayError(404, 2002, 'ACCESS', `Resource not found: ${request.method} ${request.path}`);
  });

  return {
    url: server.url,
    requests: server.requests,
    orderRequests: () => server.requests.filter((r) => r.path === ORDER_PATH),
    failNext(status, fault = {}) {
      server.failNext({ status, body: defaultFaultBody(status), ...fault });
    },
    expireTokens() {
      validTokens.clear();
    },
    setOrders(next) {
      orders = [...next];
    },
    upsertOrders(changed) {
      for (const order of changed) {
        const at = orders.findIndex((o) => o.orderId === order.orderId);
        if (at >= 0) orders[at] = order;
        else orders.push(order);
      }
    },
    get orders() {
      return orders;
    },
    get issuedTokens() {
      return issuedTokens;
    },
    close: () => server.close(),
  };
}
