import { randomBytes } from 'node:crypto';
import {
  startFakeHttpServer,
  type FakeFault,
  type FakeResponse,
  type RecordedRequest,
} from '../../http/testing/fake-http-server.js';
import type { ShopwareOrder } from '../shopware-types.js';
import { toJsonApi } from './shopware-json-api-view.js';

export interface FakeShopwareOptions {
  orders?: ShopwareOrder[];
  clientId?: string;
  clientSecret?: string;
  /** Lifetime of issued tokens (Shopware's default is 600 s). */
  tokenTtlSeconds?: number;
  /** Answer in JSON:API even when plain JSON is asked for (some proxies drop Accept). */
  forceJsonApi?: boolean;
}

export interface FakeShopware {
  /** Shop URL: pass as settings.baseUrl. */
  url: string;
  clientId: string;
  clientSecret: string;
  requests: RecordedRequest[];
  /** Token grants served. */
  tokenRequests(): RecordedRequest[];
  /** Search requests with their parsed Criteria. */
  searches(): Array<{ request: RecordedRequest; criteria: Record<string, unknown> }>;
  orders: ShopwareOrder[];
  failNext(fault: FakeFault): void;
  /** Every token issued so far stops working (as if the server restarted or the TTL passed). */
  expireTokens(): void;
  /** Changes an order and stamps updatedAt with the fake's clock. */
  mutate(id: string, change: (order: ShopwareOrder) => void): ShopwareOrder;
  addOrders(orders: ShopwareOrder[]): void;
  advanceTime(ms: number): void;
  now(): Date;
  close(): Promise<void>;
}

const ASSOCIATED = [
  'lineItems',
  'transactions',
  'orderCustomer',
  'currency',
  'language',
  'billingAddress',
  'tags',
] as const;

function swError(status: number, code: string, title: string, detail: string): FakeResponse {
  return { status, body: { errors: [{ status: String(status), code, title, detail }] } };
}

type Query = {
  type: string;
  field?: string;
  operator?: string;
  parameters?: Record<string, string>;
  queries?: Query[];
  value?: unknown;
};

function matches(order: ShopwareOrder, query: Query): boolean {
  if (query.type === 'multi') {
    const results = (query.queries ?? []).map((q) => matches(order, q));
    return query.operator?.toLowerCase() === 'or' ? results.some(Boolean) : results.every(Boolean);
  }
  const raw = query.field ? (order as Record<string, unknown>)[query.field.replace(/^order\./, '')] : undefined;
  if (query.type === 'equals') return raw === query.value;
  if (query.type === 'range') {
    if (raw === null || raw === undefined) return false; // SQL: NULL compares as unknown
    const value = Date.parse(String(raw));
    const p = query.parameters ?? {};
    if (p.gte && !(value >= Date.parse(p.gte))) return false;
    if (p.gt && !(value > Date.parse(p.gt))) return false;
    if (p.lte && !(value <= Date.parse(p.lte))) return false;
    if (p.lt && !(value < Date.parse(p.lt))) return false;
    return true;
  }
  throw new Error(`fake Shopware does not support filter type ${query.type}`);
}

function compare(a: unknown, b: unknown): number {
  // MySQL sorts NULL first in ascending order.
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return String(a) < String(b) ? -1 : 1;
}

export async function startFakeShopware(options: FakeShopwareOptions = {}): Promise<FakeShopware> {
  const orders = [...(options.orders ?? [])];
  const clientId = options.clientId ?? 'SWIAFAKECLIENTID';
  const clientSecret = options.clientSecret ?? 'fake-client-secret';
  const ttl = options.tokenTtlSeconds ?? 600;
  const tokens = new Map<string, number>();
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const searches: Array<{ request: RecordedRequest; criteria: Record<string, unknown> }> = [];

  function grant(request: RecordedRequest): FakeResponse {
    const body = request.headers['content-type']?.includes('json')
      ? (JSON.parse(request.body || '{}') as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(request.body));
    if (body.grant_type !== 'client_credentials') {
      return swError(
        400,
        '2',
        'Bad Request',
        'The authorization grant type is not supported by the authorization server.',
      );
    }
    if (body.client_id !== clientId || body.client_secret !== clientSecret) {
      return swError(401, '4', 'Unauthorized', 'Client authentication failed');
    }
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, now().getTime() + ttl * 1000);
    return { status: 200, body: { token_type: 'Bearer', expires_in: ttl, access_token: token } };
  }

  function search(request: RecordedRequest): FakeResponse {
    const criteria = JSON.parse(request.body || '{}') as Record<string, unknown>;
    searches.push({ request, criteria });
    const limit = Number(criteria.limit ?? 25);
    const page = Number(criteria.page ?? 1);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      return swError(
        400,
        'FRAMEWORK__INVALID_LIMIT_QUERY',
        'Bad Request',
        'The limit parameter must be a positive integer between 1 and 500.',
      );
    }
    let list = orders.filter((o) => ((criteria.filter as Query[] | undefined) ?? []).every((q) => matches(o, q)));
    const sort = (criteria.sort as Array<{ field: string; order?: string }> | undefined) ?? [{ field: 'id' }];
    list = list.sort((a, b) => {
      for (const s of sort) {
        const dir = s.order?.toUpperCase() === 'DESC' ? -1 : 1;
        const c = compare((a as Record<string, unknown>)[s.field], (b as Record<string, unknown>)[s.field]) * dir;
        if (c !== 0) return c;
      }
      return 0;
    });
    const slice = list.slice((page - 1) * limit, page * limit);
    const requested = (criteria.associations as Record<string, unknown> | undefined) ?? {};
    // Associations not asked for come back null, as in Shopware.
    const shaped = slice.map((o) => {
      const copy = structuredClone(o) as Record<string, unknown>;
      for (const name of ASSOCIATED) if (!(name in requested)) copy[name] = null;
      return copy as ShopwareOrder;
    });
    const mode = Number(criteria['total-count-mode'] ?? 0);
    const total = mode === 1 ? list.length : mode === 2 ? Math.min(list.length, page * limit + 1) : shaped.length;
    const wantsPlain = (request.headers.accept ?? '').includes('application/json') && !options.forceJsonApi;
    if (wantsPlain) return { status: 200, body: { total, data: shaped, aggregations: [] } };
    return {
      status: 200,
      headers: { 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify(
        toJsonApi(shaped as unknown as Array<Record<string, unknown> & { id: string }>, 'order', total),
      ),
    };
  }

  const server = await startFakeHttpServer((request) => {
    if (request.method === 'POST' && request.path === '/api/oauth/token') return grant(request);
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const expiry = bearer ? tokens.get(bearer) : undefined;
    if (expiry === undefined || expiry <= now().getTime()) {
      return swError(401, '9', 'Unauthorized', 'The resource owner or authorization server denied the request.');
    }
    if (request.method === 'POST' && request.path === '/api/search/order') return search(request);
    return swError(
      404,
      'FRAMEWORK__ROUTE_NOT_FOUND',
      'Not Found',
      `No route found for "${request.method} ${request.path}"`,
    );
  });

  return {
    url: server.url,
    clientId,
    clientSecret,
    requests: server.requests,
    tokenRequests: () => server.requests.filter((r) => r.path === '/api/oauth/token'),
    searches: () => searches,
    orders,
    failNext: server.failNext,
    expireTokens() {
      tokens.clear();
    },
    mutate(id, change) {
      const order = orders.find((o) => o.id === id || o.orderNumber === id);
      if (!order) throw new Error(`fake Shopware has no order ${id}`);
      change(order);
      order.updatedAt = now().toISOString();
      return order;
    },
    addOrders(more) {
      orders.push(...more);
    },
    advanceTime(ms) {
      offsetMs += ms;
    },
    now,
    close: server.close,
  };
}
