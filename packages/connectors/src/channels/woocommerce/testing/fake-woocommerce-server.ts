import {
  startFakeHttpServer,
  type FakeFault,
  type FakeResponse,
  type RecordedRequest,
} from '../../http/testing/fake-http-server.js';
import type { WooOrder, WooRefund } from '../woocommerce-types.js';
import { refundWooLine, wooTimestamp } from './fixtures.js';

export interface FakeWooCommerceOptions {
  orders?: WooOrder[];
  consumerKey?: string;
  consumerSecret?: string;
}

export interface FakeWooCommerce {
  /** Site URL: pass as settings.baseUrl. */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  requests: RecordedRequest[];
  /** Requests to the order list only. */
  listRequests(): RecordedRequest[];
  orders: WooOrder[];
  refunds: Map<number, WooRefund[]>;
  failNext(fault: FakeFault): void;
  /** Changes an order and sets date_modified(_gmt) to the fake's clock, as WooCommerce does on save. */
  mutate(id: number, change: (order: WooOrder) => void): WooOrder;
  refundLine(id: number, lineIndex: number, quantity: number): WooOrder;
  addOrders(orders: WooOrder[]): void;
  advanceTime(ms: number): void;
  now(): Date;
  close(): Promise<void>;
}

const PREFIX = '/wp-json/wc/v3';

function wpError(status: number, code: string, message: string, extra: Record<string, unknown> = {}): FakeResponse {
  return { status, body: { code, message, data: { status, ...extra } } };
}

function gmt(value: string): number {
  return Date.parse(/[zZ]$/.test(value) ? value : `${value}Z`);
}

export async function startFakeWooCommerce(options: FakeWooCommerceOptions = {}): Promise<FakeWooCommerce> {
  const orders = [...(options.orders ?? [])];
  const refunds = new Map<number, WooRefund[]>();
  const consumerKey = options.consumerKey ?? 'ck_fake_0123456789';
  const consumerSecret = options.consumerSecret ?? 'cs_fake_0123456789';
  const expectedAuth = `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}`;
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  let baseUrl = '';

  function listOrders(request: RecordedRequest): FakeResponse {
    const q = request.query;
    const perPage = Number(q.get('per_page') ?? 10);
    const page = Number(q.get('page') ?? 1);
    // WP REST collections accept `offset`, which overrides `page`.
    const offset = q.has('offset') ? Number(q.get('offset')) : null;
    if (offset !== null && (!Number.isInteger(offset) || offset < 0)) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): offset');
    }
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', {
        params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
      });
    }
    if (!Number.isInteger(page) || page < 1) return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): page');
    let list = [...orders];
    const after = q.get('modified_after');
    if (after) {
      const t = gmt(after);
      if (Number.isNaN(t)) return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): modified_after');
      // WordPress date queries are exclusive: strictly after.
      list = list.filter((o) => gmt(o.date_modified_gmt) > t);
    }
    const status = q.get('status');
    if (status && status !== 'any') list = list.filter((o) => status.split(',').includes(o.status));
    const orderby = q.get('orderby') ?? 'date';
    const key = (o: WooOrder) =>
      orderby === 'modified' ? gmt(o.date_modified_gmt) : orderby === 'id' ? o.id : gmt(o.date_created_gmt);
    const dir = (q.get('order') ?? 'desc') === 'asc' ? 1 : -1;
    list.sort((a, b) => (key(a) - key(b) || a.id - b.id) * dir);
    const total = list.length;
    const totalPages = Math.ceil(total / perPage);
    const start = offset ?? (page - 1) * perPage;
    const slice = list.slice(start, start + perPage);
    const links: string[] = [];
    const link = (p: number) => {
      const next = new URLSearchParams(q);
      next.set('page', String(p));
      return `<${baseUrl}${request.path}?${next}>`;
    };
    if (page > 1) links.push(`${link(page - 1)}; rel="prev"`);
    if (page < totalPages) links.push(`${link(page + 1)}; rel="next"`);
    return {
      status: 200,
      headers: {
        'x-wp-total': String(total),
        'x-wp-totalpages': String(totalPages),
        ...(links.length ? { link: links.join(', ') } : {}),
      },
      body: structuredClone(slice),
    };
  }

  const server = await startFakeHttpServer((request) => {
    if (!request.path.startsWith(PREFIX))
      return {
        status: 404,
        body: wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.').body,
      };
    if (request.headers.authorization !== expectedAuth) {
      return wpError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    }
    if (request.method !== 'GET')
      return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
    const path = request.path.slice(PREFIX.length);
    if (path === '/orders') return listOrders(request);
    const single = /^\/orders\/(\d+)(\/refunds)?$/.exec(path);
    if (single) {
      const order = orders.find((o) => o.id === Number(single[1]));
      if (!order) return wpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
      return { status: 200, body: structuredClone(single[2] ? (refunds.get(order.id) ?? []) : order) };
    }
    return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
  });
  baseUrl = server.url;

  function find(id: number): WooOrder {
    const order = orders.find((o) => o.id === id);
    if (!order) throw new Error(`fake WooCommerce has no order ${id}`);
    return order;
  }

  function touch(order: WooOrder): void {
    const stamp = wooTimestamp(now());
    order.date_modified = stamp;
    order.date_modified_gmt = stamp;
  }

  return {
    url: server.url,
    consumerKey,
    consumerSecret,
    requests: server.requests,
    listRequests: () => server.requests.filter((r) => r.path === `${PREFIX}/orders`),
    orders,
    refunds,
    failNext: server.failNext,
    mutate(id, change) {
      const order = find(id);
      change(order);
      touch(order);
      return order;
    },
    refundLine(id, lineIndex, quantity) {
      const order = find(id);
      const list = refunds.get(id) ?? [];
      refunds.set(id, list);
      refundWooLine(order, list, lineIndex, quantity);
      touch(order);
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
