import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, type ChannelConnectorOptions } from '../channel-connector.js';
import { drainOrders } from '../testing/drain-orders.js';
import { WooCommerceConnector } from './woocommerce.connector.js';
import { makeWooOrder, makeWooOrders } from './testing/fixtures.js';
import { startFakeWooCommerce, type FakeWooCommerce } from './testing/fake-woocommerce-server.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';

let fake: FakeWooCommerce;
afterEach(() => fake?.close());

function connect(f: FakeWooCommerce, overrides: Partial<ChannelConnectorOptions> = {}) {
  const waits: number[] = [];
  const connector = new WooCommerceConnector({
    outbound: LOOPBACK_FAKES,
    credentials: { consumerKey: f.consumerKey, consumerSecret: f.consumerSecret, webhookSecret: 'wh-secret' },
    settings: { baseUrl: f.url },
    sleep: async (ms) => void waits.push(ms),
    ...overrides,
  });
  return { connector, waits };
}

describe('WooCommerceConnector.listOrders', () => {
  it('walks page by page with X-WP-TotalPages, oldest modification first, Basic auth', async () => {
    fake = await startFakeWooCommerce({ orders: makeWooOrders(250) });
    const { orders, pages } = await drainOrders(connect(fake).connector, null);

    expect(pages).toBe(3);
    expect(orders).toHaveLength(250);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(250);
    expect(orders[0]!.externalId).toBe('701');
    const list = fake.listRequests();
    // Pages overlap by 10 orders (see OVERLAP in the connector).
    expect(list.map((r) => r.query.get('offset'))).toEqual(['0', '90', '180']);
    expect(Object.fromEntries(list[0]!.query)).toEqual({
      per_page: '100',
      offset: '0',
      orderby: 'modified',
      order: 'asc',
      dates_are_gmt: 'true',
    });
    expect(list[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${fake.consumerKey}:${fake.consumerSecret}`).toString('base64')}`,
    );
  });

  it('second run fetches only changed orders, with refunds, completion and cancellation mapped', async () => {
    fake = await startFakeWooCommerce({ orders: makeWooOrders(120, 1, { quantity: 2 }) });
    const { connector } = connect(fake);
    await drainOrders(connector, null);
    const runStart = fake.now();

    fake.refundLine(705, 0, 1);
    fake.mutate(710, (o) => {
      o.status = 'completed';
      o.date_paid = null;
      o.date_paid_gmt = null;
      o.date_completed_gmt = '2025-03-01T12:00:00';
    });
    fake.mutate(715, (o) => (o.status = 'cancelled'));
    fake.refundLine(720, 0, 2);
    const second = await drainOrders(connector, runStart);

    const since = new Date(Math.floor(runStart.getTime() / 1000) * 1000 - 1000).toISOString();
    expect(fake.listRequests().at(-1)!.query.get('modified_after')).toBe(since);
    const byId = new Map(second.orders.map((o) => [o.externalId, o]));
    expect([...byId.keys()].sort()).toEqual(['705', '710', '715', '720']);
    expect(byId.get('705')!.status).toBe('partially_refunded');
    expect(byId.get('705')!.items[0]!.refundedQuantity).toBe(1);
    expect(byId.get('710')!.status).toBe('completed');
    expect(byId.get('710')!.paidAt).toEqual(new Date('2025-03-01T12:00:00Z'));
    expect(byId.get('715')!.status).toBe('cancelled');
    expect(byId.get('715')!.items[0]!.cancelled).toBe(true);
    expect(byId.get('720')!.status).toBe('refunded');
    expect(byId.get('720')!.items[0]!.refundedQuantity).toBe(2);
    // line refunds come from /orders/{id}/refunds, asked only for orders that have refunds
    expect(fake.requests.filter((r) => r.path.endsWith('/refunds')).map((r) => r.path)).toEqual([
      '/wp-json/wc/v3/orders/705/refunds',
      '/wp-json/wc/v3/orders/720/refunds',
    ]);
  });

  it('honours a 429 Retry-After mid-run and still imports every order once', async () => {
    fake = await startFakeWooCommerce({ orders: makeWooOrders(250) });
    fake.failNext({ status: 429, headers: { 'retry-after': '3' }, after: 1, pathPrefix: '/wp-json/wc/v3/orders' });
    const { connector, waits } = connect(fake);

    const { orders } = await drainOrders(connector, null);

    expect(waits).toEqual([3000]);
    expect(orders).toHaveLength(250);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(250);
    expect(fake.listRequests()).toHaveLength(4);
  });

  it('resumes from a stored cursor in a fresh connector', async () => {
    fake = await startFakeWooCommerce({ orders: makeWooOrders(150) });
    const first = await connect(fake).connector.listOrders({ since: new Date('2025-01-06T09:30:30Z'), cursor: null });
    expect(first.orders).toHaveLength(100);
    const rest = await connect(fake).connector.listOrders({ since: null, cursor: first.nextCursor });
    // orders 731…850 are after the since; page 1 held 731…830
    expect(first.orders[0]!.externalId).toBe('731');
    expect(rest.orders.map((o) => o.externalId)).toEqual(Array.from({ length: 20 }, (_, i) => String(831 + i)));
    expect(rest.nextCursor).toBeNull();
    expect(fake.listRequests().at(-1)!.query.get('modified_after')).toBe('2025-01-06T09:30:29.000Z');
    expect(fake.listRequests().at(-1)!.query.get('offset')).toBe('90');
  });

  it('loses no order when one modified during the run jumps to the end of the list', async () => {
    fake = await startFakeWooCommerce({ orders: makeWooOrders(250) });
    const { connector } = connect(fake);
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await connector.listOrders({ since: null, cursor });
      page.orders.forEach((o) => seen.add(o.externalId));
      cursor = page.nextCursor;
      // Between pages the shop edits orders already fetched: everything after them shifts back.
      if (pages++ < 2)
        for (const id of [701 + pages, 711 + pages, 721 + pages])
          fake.mutate(id, (o) => void (o.customer_note = 'edited'));
    } while (cursor);
    expect(seen.size).toBe(250);
  });

  it('maps statuses and converts money in 2-, 0- and 3-decimal currencies', async () => {
    fake = await startFakeWooCommerce({
      orders: [
        makeWooOrder(1, { status: 'pending' }),
        makeWooOrder(2, { status: 'on-hold' }),
        makeWooOrder(3, { status: 'failed' }),
        makeWooOrder(4, { status: 'processing', unitPrice: '12.50', tax: '2.38', quantity: 3 }),
        makeWooOrder(5, { status: 'completed', currency: 'JPY', unitPrice: '1500', tax: '150', quantity: 2 }),
        makeWooOrder(6, { status: 'processing', currency: 'KWD', unitPrice: '12.345', tax: '0.617' }),
        makeWooOrder(7, { status: 'refunded' }),
      ],
    });
    const { orders } = await drainOrders(connect(fake).connector, null);
    const s = new Map(orders.map((o) => [o.externalId, o]));

    expect(['701', '702', '703'].map((id) => s.get(id)!.status)).toEqual(['pending', 'pending', 'pending']);
    expect(s.get('702')!.channelStatus).toBe('on-hold');
    const usd = s.get('704')!;
    expect([usd.status, usd.total, usd.taxTotal, usd.items[0]!.unitPrice, usd.items[0]!.tax]).toEqual([
      'paid',
      3988,
      238,
      1250,
      238,
    ]);
    const jpy = s.get('705')!;
    expect([jpy.status, jpy.total, jpy.items[0]!.unitPrice]).toEqual(['completed', 3150, 1500]);
    const kwd = s.get('706')!;
    expect([kwd.total, kwd.items[0]!.unitPrice, kwd.items[0]!.tax]).toEqual([12962, 12345, 617]);
    expect(s.get('707')!.status).toBe('refunded');
    expect(s.get('707')!.items[0]!.refundedQuantity).toBe(1);
    expect(s.get('702')!.buyer).toEqual({
      email: 'john.doe2@example.com',
      name: 'John Doe 2',
      language: 'fr',
      country: 'US',
    });
    expect(s.get('704')!.createdAt).toEqual(new Date('2025-01-06T09:04:00Z'));
  });

  it('reports wrong keys as a non-retryable 401 and surfaces a 400 message', async () => {
    fake = await startFakeWooCommerce({ orders: [] });
    await expect(connect(fake).connector.testConnection()).resolves.toBeUndefined();
    const bad = connect(fake, { credentials: { consumerKey: fake.consumerKey, consumerSecret: 'nope' } }).connector;
    const unauthorized = await bad.listOrders({ since: null, cursor: null }).catch((e: unknown) => e);
    expect(unauthorized).toMatchObject({ status: 401, retryable: false });
    expect(unauthorized).toBeInstanceOf(ChannelError);

    fake.failNext({
      status: 400,
      body: { code: 'rest_invalid_param', message: 'Invalid parameter(s): modified_after', data: { status: 400 } },
    });
    const invalid = await connect(fake)
      .connector.listOrders({ since: null, cursor: null })
      .catch((e: unknown) => e);
    expect((invalid as ChannelError).message).toContain('Invalid parameter(s): modified_after');
  });
});
