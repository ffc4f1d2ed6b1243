import {
  startFakeHttpServer,
  type FakeFault,
  type FakeResponse,
  type RecordedRequest,
} from '../../http/testing/fake-http-server.js';
import { legacyId } from '../shopify-ids.js';
import type { ShopifyGqlOrder } from '../shopify-types.js';

export interface FakeShopifyOptions {
  orders?: ShopifyGqlOrder[];
  accessToken?: string;
  /** Cost bucket; null (default) = never throttles on its own, but still reports the cost extension. */
  bucket?: { maximumAvailable: number; restoreRate: number } | null;
}

export interface FakeShopify {
  url: string;
  shop: string;
  accessToken: string;
  /** Every request, including refused ones. */
  requests: RecordedRequest[];
  /** GraphQL requests only, with their parsed variables. */
  graphqlCalls: Array<{ query: string; variables: Record<string, unknown> }>;
  orders: ShopifyGqlOrder[];
  failNext(fault: FakeFault): void;
  /** Answers the (after+1)th next GraphQL call with THROTTLED, bucket empty. */
  throttleNext(options?: { after?: number }): void;
  /** Changes an order the way the shop would and bumps updatedAt to the fake's clock. */
  mutate(id: string, change: (order: ShopifyGqlOrder) => void): ShopifyGqlOrder;
  addOrders(orders: ShopifyGqlOrder[]): void;
  /** Moves the fake's clock (bucket refill, updatedAt of mutations); pass it from an injected sleep. */
  advanceTime(ms: number): void;
  now(): Date;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/admin/api/2025-01/graphql.json';
const UNAUTHORIZED = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

interface KeysetCursor {
  u: string;
  id: number;
}

export async function startFakeShopify(options: FakeShopifyOptions = {}): Promise<FakeShopify> {
  const orders = [...(options.orders ?? [])];
  const accessToken = options.accessToken ?? 'shpat_fake_token';
  const graphqlCalls: FakeShopify['graphqlCalls'] = [];
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const bucketConfig = options.bucket ?? null;
  const bucket = { available: bucketConfig?.maximumAvailable ?? 2000, at: now().getTime() };
  let throttles: number[] = [];

  function refill(): void {
    if (!bucketConfig) return;
    const t = now().getTime();
    bucket.available = Math.min(
      bucketConfig.maximumAvailable,
      bucket.available + ((t - bucket.at) / 1000) * bucketConfig.restoreRate,
    );
    bucket.at = t;
  }

  function costExtension(requested: number, actual: number | null, available = bucketConfig ? bucket.available : 2000) {
    return {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: actual,
        throttleStatus: {
          maximumAvailable: bucketConfig?.maximumAvailable ?? 2000,
          currentlyAvailable: Math.floor(available),
          restoreRate: bucketConfig?.restoreRate ?? 100,
        },
      },
    };
  }

  function throttled(requested: number, available: number): FakeResponse {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: costExtension(requested, null, available),
      },
    };
  }

  function sorted(): ShopifyGqlOrder[] {
    return [...orders].sort(
      (a, b) => a.updatedAt.localeCompare(b.updatedAt) || Number(legacyId(a.id)) - Number(legacyId(b.id)),
    );
  }

  function ordersPage(query: string, variables: Record<string, unknown>) {
    const first = Number(variables.first ?? 50);
    const lineFirst = Number(/lineItems\(first:\s*(\d+)/.exec(query)?.[1] ?? 10);
    const filter = typeof variables.query === 'string' ? variables.query : '';
    const since = /updated_at:(>=|>)'?([^'\s]+)'?/.exec(filter);
    let list = sorted();
    if (since) {
      const t = Date.parse(since[2]!);
      list = list.filter((o) => (since[1] === '>=' ? Date.parse(o.updatedAt) >= t : Date.parse(o.updatedAt) > t));
    }
    if (typeof variables.after === 'string') {
      const c = JSON.parse(Buffer.from(variables.after, 'base64').toString()) as KeysetCursor;
      list = list.filter((o) => o.updatedAt > c.u || (o.updatedAt === c.u && Number(legacyId(o.id)) > c.id));
    }
    const page = list.slice(0, first);
    const last = page.at(-1);
    const nodes = page.map((o) => {
      const lines = o.lineItems.nodes;
      const shown = lines.slice(0, lineFirst);
      const more = lines.length > lineFirst;
      return {
        ...structuredClone(o),
        lineItems: {
          nodes: structuredClone(shown),
          pageInfo: { hasNextPage: more, endCursor: more ? Buffer.from(String(lineFirst)).toString('base64') : null },
        },
      };
    });
    const actual = 2 + nodes.reduce((sum, n) => sum + 3 + n.lineItems.nodes.length, 0);
    return {
      requested: 2 + first * (3 + lineFirst),
      actual,
      data: {
        orders: {
          pageInfo: {
            hasNextPage: list.length > first,
            endCursor: last
              ? Buffer.from(JSON.stringify({ u: last.updatedAt, id: Number(legacyId(last.id)) })).toString('base64')
              : null,
          },
          nodes,
        },
      },
    };
  }

  function lineItemsPage(variables: Record<string, unknown>) {
    const order = orders.find((o) => o.id === variables.id);
    const start = typeof variables.after === 'string' ? Number(Buffer.from(variables.after, 'base64').toString()) : 0;
    if (!order) return { requested: 102, actual: 1, data: { order: null } };
    const lines = order.lineItems.nodes.slice(start, start + 100);
    const end = start + lines.length;
    const more = end < order.lineItems.nodes.length;
    return {
      requested: 102,
      actual: 2 + lines.length,
      data: {
        order: {
          lineItems: {
            nodes: structuredClone(lines),
            pageInfo: { hasNextPage: more, endCursor: Buffer.from(String(end)).toString('base64') },
          },
        },
      },
    };
  }

  const server = await startFakeHttpServer((request) => {
    if (request.path !== GRAPHQL_PATH) return { status: 404, body: { errors: 'Not Found' } };
    if (request.method !== 'POST') return { status: 405, body: { errors: 'Method Not Allowed' } };
    if (request.headers['x-shopify-access-token'] !== accessToken) return { status: 401, body: UNAUTHORIZED };
    let parsed: { query?: string; variables?: Record<string, unknown> };
    try {
      parsed = JSON.parse(request.body) as typeof parsed;
    } catch {
      return { status: 400, body: { errors: 'Bad Request: body is not JSON' } };
    }
    const query = parsed.query ?? '';
    const variables = parsed.variables ?? {};
    graphqlCalls.push({ query, variables });

    const result = /\borders\(/.test(query)
      ? ordersPage(query, variables)
      : /\border\(id:/.test(query)
        ? lineItemsPage(variables)
        : /\bshop\b/.test(query)
          ? {
              requested: 1,
              actual: 1,
              data: { shop: { name: 'Fake Shop', myshopifyDomain: 'fake-shop.myshopify.com' } },
            }
          : null;
    if (!result) return { status: 200, body: { errors: [{ message: 'Unsupported query for the fake' }] } };

    const forced = throttles.findIndex((n) => n === 0);
    throttles = throttles.filter((_, i) => i !== forced).map((n) => n - 1);
    if (forced >= 0) {
      bucket.available = 0;
      bucket.at = now().getTime();
      return throttled(result.requested, 0);
    }
    refill();
    if (bucketConfig && bucket.available < result.requested) return throttled(result.requested, bucket.available);
    if (bucketConfig) bucket.available -= result.actual;
    return { status: 200, body: { data: result.data, extensions: costExtension(result.requested, result.actual) } };
  });

  return {
    url: server.url,
    shop: 'fake-shop.myshopify.com',
    accessToken,
    requests: server.requests,
    graphqlCalls,
    orders,
    failNext: server.failNext,
    throttleNext(opts = {}) {
      throttles.push(opts.after ?? 0);
    },
    mutate(id, change) {
      const order = orders.find((o) => o.id === id || legacyId(o.id) === id);
      if (!order) throw new Error(`fake Shopify has no order ${id}`);
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
