import {
  startFakeHttpServer,
  type FakeFault,
  type FakeResponse,
  type RecordedRequest,
} from '../../http/testing/fake-http-server.js';
import { AMAZON_USAGE_PLANS, type AmazonOperation } from '../amazon-rate-limiter.js';
import { toSearchOrdersOrder } from './amazon-2026-view.js';
import { FAULT_CODES, spError } from './fake-amazon-errors.js';
import { createDigitalAccessKey, type FakeAmazonMessage } from './fake-amazon-messaging.js';
import { AMAZON_US, type AmazonFixtureOrder } from './fixtures.js';

/** The app credentials and seller refresh token the fake's LWA endpoint accepts by default. */
export const FAKE_AMAZON_CLIENT = {
  clientId: 'amzn1.application-oa2-client.fake',
  clientSecret: 'amzn-client-secret',
  refreshToken: 'Atzr|fake-refresh-token',
} as const;

export interface FakeAmazonOptions {
  orders?: AmazonFixtureOrder[];
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** An access token accepted from the start. */
  accessToken?: string;
  /** getOrderItems page size (Amazon's is undocumented; small values exercise its NextToken). */
  itemsPageSize?: number;
  /** Per-operation usage plans enforced with the fake's clock (defaults: Amazon's). */
  usagePlans?: Partial<Record<AmazonOperation, { rate: number; burst: number }>>;
  /** Send `x-amzn-RateLimit-Limit` on answers (default true). */
  rateLimitHeader?: boolean;
  /** The seller app has the Buyer Communication role (default true); without it messaging is a 403. */
  messagingRole?: boolean;
  now?: () => number;
}

export type FakeAmazonFault = Omit<FakeFault, 'status'>;

export interface FakeAmazon {
  url: string;
  requests: RecordedRequest[];
  /** Requests of one operation. */
  requestsOf(operation: AmazonOperation): RecordedRequest[];
  /** Serves `status` with an SP-API error body (no Retry-After, as Amazon) instead of the next answer. */
  failNext(status: number, fault?: FakeAmazonFault): void;
  /** Every access token issued so far is refused with 403 Unauthorized from now on. */
  expireTokens(): void;
  setOrders(orders: AmazonFixtureOrder[]): void;
  upsertOrders(orders: AmazonFixtureOrder[]): void;
  readonly orders: readonly AmazonFixtureOrder[];
  readonly issuedTokens: readonly string[];
  /** Buyer messages accepted by createDigitalAccessKey, in order. */
  readonly messages: readonly FakeAmazonMessage[];
  /** 429s the fake's own usage plans produced. */
  readonly throttled: number;
  close(): Promise<void>;
}

interface PageToken {
  after: string;
  offset: number;
}

const encodeToken = (t: PageToken) => Buffer.from(JSON.stringify(t)).toString('base64');
function decodeToken(value: string): PageToken | null {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as PageToken;
    return typeof parsed.after === 'string' && Number.isInteger(parsed.offset) ? parsed : null;
  } catch {
    return null;
  }
}

export async function startFakeAmazon(options: FakeAmazonOptions = {}): Promise<FakeAmazon> {
  const clientId = options.clientId ?? FAKE_AMAZON_CLIENT.clientId;
  const clientSecret = options.clientSecret ?? FAKE_AMAZON_CLIENT.clientSecret;
  const refreshToken = options.refreshToken ?? FAKE_AMAZON_CLIENT.refreshToken;
  const itemsPageSize = options.itemsPageSize ?? 100;
  const now = options.now ?? (() => Date.now());
  const sendRateHeader = options.rateLimitHeader ?? true;
  let orders = [...(options.orders ?? [])];
  const validTokens = new Set<string>(options.accessToken ? [options.accessToken] : []);
  const issuedTokens: string[] = [];
  const messages: FakeAmazonMessage[] = [];
  let throttled = 0;

  const plans = { ...AMAZON_USAGE_PLANS, ...options.usagePlans } as Record<
    AmazonOperation,
    { rate: number; burst: number }
  >;
  const buckets = Object.fromEntries(
    Object.entries(plans).map(([op, plan]) => [op, { tokens: plan.burst, at: now() }]),
  ) as Record<AmazonOperation, { tokens: number; at: number }>;

  function spend(operation: AmazonOperation): FakeResponse | null {
    const plan = plans[operation];
    const bucket = buckets[operation];
    const t = now();
    bucket.tokens = Math.min(plan.burst, bucket.tokens + ((t - bucket.at) / 1000) * plan.rate);
    bucket.at = t;
    if (bucket.tokens < 1) {
      throttled++;
      return withRateHeader(operation, spError(429, ...FAULT_CODES[429]!));
    }
    bucket.tokens -= 1;
    return null;
  }

  function withRateHeader(operation: AmazonOperation, response: FakeResponse): FakeResponse {
    if (!sendRateHeader) return response;
    return { ...response, headers: { ...response.headers, 'x-amzn-RateLimit-Limit': String(plans[operation].rate) } };
  }

  function token(request: RecordedRequest): FakeResponse {
    const form = new URLSearchParams(request.body);
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
    }
    if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== refreshToken) {
      return {
        status: 400,
        body: {
          error: 'invalid_grant',
          error_description: 'The request has an invalid grant parameter : refresh_token',
        },
      };
    }
    const accessToken = `Atza|fake-access-${issuedTokens.length + 1}`;
    issuedTokens.push(accessToken);
    validTokens.add(accessToken);
    return {
      status: 200,
      body: { access_token: accessToken, refresh_token: refreshToken, token_type: 'bearer', expires_in: 3600 },
    };
  }

  function authorized(request: RecordedRequest): FakeResponse | null {
    const given = request.headers['x-amz-access-token'];
    if (typeof given === 'string' && validTokens.has(given)) return null;
    return spError(
      403,
      'Unauthorized',
      'Access to requested resource is denied.',
      'The access token you provided has expired.',
    );
  }

  /** Orders in the marketplaces, updated at or after `after`, oldest update first. */
  function select(marketplaces: string[], after: string): AmazonFixtureOrder[] {
    const from = Date.parse(after);
    return orders
      .filter((o) => marketplaces.includes(o.order.MarketplaceId ?? '') && Date.parse(o.order.LastUpdateDate) >= from)
      .sort(
        (a, b) =>
          Date.parse(a.order.LastUpdateDate) - Date.parse(b.order.LastUpdateDate) ||
          a.order.AmazonOrderId.localeCompare(b.order.AmazonOrderId),
      );
  }

  function pageSize(value: string | null): number | null {
    if (value === null) return 100;
    const n = Number(value);
    return Number.isInteger(n) && n >= 1 && n <= 100 ? n : null;
  }

  function getOrders(q: URLSearchParams): FakeResponse {
    const marketplaces = (q.get('MarketplaceIds') ?? '').split(',').filter(Boolean);
    if (marketplaces.length === 0) return spError(400, 'InvalidInput', 'Missing required parameter: MarketplaceIds');
    let position: PageToken;
    let limit = pageSize(q.get('MaxResultsPerPage'));
    const next = q.get('NextToken');
    if (next) {
      const decoded = decodeToken(next);
      if (!decoded) return spError(400, 'InvalidInput', 'Invalid NextToken');
      position = decoded;
      limit = pageSize(null);
    } else {
      const after = q.get('LastUpdatedAfter') ?? q.get('CreatedAfter');
      if (!after || Number.isNaN(Date.parse(after)))
        return spError(400, 'InvalidInput', 'Either CreatedAfter or LastUpdatedAfter must be specified');
      position = { after, offset: 0 };
    }
    if (limit === null) return spError(400, 'InvalidInput', 'MaxResultsPerPage must be between 1 and 100');
    const matched = select(marketplaces, position.after);
    const page = matched.slice(position.offset, position.offset + limit);
    const more = position.offset + limit < matched.length;
    return {
      status: 200,
      body: {
        payload: {
          Orders: page.map((o) => o.order),
          ...(more ? { NextToken: encodeToken({ after: position.after, offset: position.offset + limit }) } : {}),
          LastUpdatedBefore: new Date(now() - 120_000).toISOString(),
        },
      },
    };
  }

  function getOrder(orderId: string): FakeResponse {
    const found = orders.find((o) => o.order.AmazonOrderId === orderId);
    return found
      ? { status: 200, body: { payload: found.order } }
      : spError(404, 'NotFound', `Order ${orderId} not found`);
  }

  function getOrderItems(orderId: string, q: URLSearchParams): FakeResponse {
    const found = orders.find((o) => o.order.AmazonOrderId === orderId);
    if (!found) return spError(404, 'NotFound', `Order ${orderId} not found`);
    const offset = q.get('NextToken') ? Number(Buffer.from(q.get('NextToken')!, 'base64').toString('utf8')) : 0;
    const page = found.items.slice(offset, offset + itemsPageSize);
    const more = offset + itemsPageSize < found.items.length;
    return {
      status: 200,
      body: {
        payload: {
          AmazonOrderId: orderId,
          OrderItems: page,
          ...(more ? { NextToken: Buffer.from(String(offset + itemsPageSize)).toString('base64') } : {}),
        },
      },
    };
  }

  function searchOrders(q: URLSearchParams): FakeResponse {
    const marketplaces = (q.get('marketplaceIds') ?? '').split(',').filter(Boolean);
    const after = q.get('lastUpdatedAfter') ?? q.get('createdAfter');
    if (!after || Number.isNaN(Date.parse(after)))
      return spError(400, 'InvalidInput', 'Exactly one of createdAfter and lastUpdatedAfter must be provided');
    const limit = pageSize(q.get('maxResultsPerPage'));
    if (limit === null) return spError(400, 'InvalidInput', 'maxResultsPerPage must be between 1 and 100');
    let offset = 0;
    const token = q.get('paginationToken');
    if (token) {
      const decoded = decodeToken(token);
      // The token only works with the parameters it was issued for.
      if (!decoded || decoded.after !== after)
        return spError(400, 'InvalidInput', 'Invalid paginationToken for these parameters');
      offset = decoded.offset;
    }
    const included = new Set((q.get('includedData') ?? '').split(',').filter(Boolean));
    const matched =
      marketplaces.length > 0
        ? select(marketplaces, after)
        : select([...new Set(orders.map((o) => o.order.MarketplaceId ?? ''))], after);
    const page = matched.slice(offset, offset + limit);
    const more = offset + limit < matched.length;
    return {
      status: 200,
      body: {
        orders: page.map((o) => toSearchOrdersOrder(o, included)),
        ...(more ? { pagination: { nextToken: encodeToken({ after, offset: offset + limit }) } } : {}),
        lastUpdatedBefore: new Date(now() - 120_000).toISOString(),
      },
    };
  }

  const itemsPath = /^\/orders\/v0\/orders\/([^/]+)\/orderItems$/;
  const orderPath = /^\/orders\/v0\/orders\/([^/]+)$/;
  const messagePath = /^\/messaging\/v1\/orders\/([^/]+)\/messages\/digitalAccessKey$/;
  function route(request: RecordedRequest): { operation: AmazonOperation; answer: () => FakeResponse } | null {
    const id = (match: RegExpExecArray) => decodeURIComponent(match[1]!);
    if (request.method === 'POST') {
      const message = messagePath.exec(request.path);
      if (!message) return null;
      return {
        operation: 'createDigitalAccessKey',
        answer: () =>
          options.messagingRole === false
            ? spError(403, ...FAULT_CODES[403]!)
            : createDigitalAccessKey(id(message), request, orders, messages),
      };
    }
    if (request.method !== 'GET') return null;
    if (request.path === '/orders/v0/orders') return { operation: 'getOrders', answer: () => getOrders(request.query) };
    if (request.path === '/orders/2026-01-01/orders')
      return { operation: 'searchOrders', answer: () => searchOrders(request.query) };
    const items = itemsPath.exec(request.path);
    if (items) return { operation: 'getOrderItems', answer: () => getOrderItems(id(items), request.query) };
    const order = orderPath.exec(request.path);
    if (order) return { operation: 'getOrder', answer: () => getOrder(id(order)) };
    return null;
  }

  const server = await startFakeHttpServer((request) => {
    if (request.method === 'POST' && request.path === '/auth/o2/token') return token(request);
    const found = route(request);
    if (!found) return spError(404, 'NotFound', `No route for ${request.method} ${request.path}`);
    const refused = authorized(request) ?? spend(found.operation);
    return refused ?? withRateHeader(found.operation, found.answer());
  });

  const operationOf = (r: RecordedRequest) => route(r)?.operation;
  return {
    url: server.url,
    requests: server.requests,
    requestsOf: (operation) => server.requests.filter((r) => operationOf(r) === operation),
    failNext(status, fault = {}) {
      const [code, message] = FAULT_CODES[status] ?? ['InternalFailure', `Fault ${status}`];
      server.failNext({ status, body: { errors: [{ code, message, details: '' }] }, ...fault });
    },
    expireTokens() {
      validTokens.clear();
    },
    setOrders(next) {
      orders = [...next];
    },
    upsertOrders(changed) {
      for (const fixture of changed) {
        const at = orders.findIndex((o) => o.order.AmazonOrderId === fixture.order.AmazonOrderId);
        if (at >= 0) orders[at] = fixture;
        else orders.push(fixture);
      }
    },
    get orders() {
      return orders;
    },
    get issuedTokens() {
      return issuedTokens;
    },
    get messages() {
      return messages;
    },
    get throttled() {
      return throttled;
    },
    close: () => server.close(),
  };
}

/**
 * What a hub connection against the fake holds: the default app credentials (no access token, so the
 * first call mints one at the fake's LWA endpoint) and settings pointing SP-API and LWA at the fake.
 */
export function fakeAmazonConnection(fake: Pick<FakeAmazon, 'url'>) {
  return {
    credentials: { ...FAKE_AMAZON_CLIENT } as Record<string, string>,
    settings: { baseUrl: fake.url, lwaUrl: fake.url, marketplaceIds: AMAZON_US },
  };
}
