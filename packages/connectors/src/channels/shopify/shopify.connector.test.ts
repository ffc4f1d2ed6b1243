import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, type ChannelConnectorOptions } from '../channel-connector.js';
import { drainOrders } from '../testing/drain-orders.js';
import { ShopifyConnector } from './shopify.connector.js';
import {
  cancelShopifyOrder,
  fulfillShopifyOrder,
  makeShopifyOrder,
  makeShopifyOrders,
  markShopifyPaid,
  refundShopifyLine,
} from './testing/fixtures.js';
import { startFakeShopify, type FakeShopify } from './testing/fake-shopify-server.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';

let fake: FakeShopify;
afterEach(() => fake?.close());

function connect(f: FakeShopify, overrides: Partial<ChannelConnectorOptions> = {}) {
  const waits: number[] = [];
  const connector = new ShopifyConnector({
    outbound: LOOPBACK_FAKES,
    credentials: { accessToken: f.accessToken, clientSecret: 'app-secret' },
    settings: { shop: f.shop, baseUrl: f.url },
    sleep: async (ms) => {
      waits.push(ms);
      f.advanceTime(ms);
    },
    ...overrides,
  });
  return { connector, waits };
}

describe('ShopifyConnector.listOrders', () => {
  it('pages through all orders with the GraphQL cursor, oldest update first', async () => {
    fake = await startFakeShopify({ orders: makeShopifyOrders(120) });
    const { connector } = connect(fake);

    const { orders, pages } = await drainOrders(connector, null);

    expect(pages).toBe(3);
    expect(orders).toHaveLength(120);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(120);
    expect(orders[0]!.number).toBe('#1001');
    expect(orders.at(-1)!.number).toBe('#1120');
    expect(fake.graphqlCalls.map((c) => c.variables.after)).toEqual([null, expect.any(String), expect.any(String)]);
    expect(fake.requests[0]!.path).toBe('/admin/api/2025-01/graphql.json');
    expect(fake.requests[0]!.headers['x-shopify-access-token']).toBe(fake.accessToken);
  });

  it('fetches only orders changed since the last run and maps their new status', async () => {
    const seed = makeShopifyOrders(60);
    seed[9]!.lineItems.nodes[0]!.quantity = 2;
    fake = await startFakeShopify({ orders: seed });
    const { connector } = connect(fake);
    await drainOrders(connector, null);
    const runStart = fake.now();

    fake.mutate(seed[9]!.id, (o) => refundShopifyLine(o, 0, 1));
    fake.mutate(seed[19]!.id, (o) => cancelShopifyOrder(o, fake.now()));
    fake.mutate(seed[29]!.id, (o) => refundShopifyLine(o, 0, 1));
    const second = await drainOrders(connector, runStart);

    expect(second.orders.map((o) => o.number)).toEqual(['#1010', '#1020', '#1030']);
    expect(fake.graphqlCalls.at(-1)!.variables.query).toBe(`updated_at:>='${runStart.toISOString()}'`);
    const [partial, cancelled, refunded] = second.orders;
    expect(partial!.status).toBe('partially_refunded');
    expect(partial!.items[0]!.refundedQuantity).toBe(1);
    expect(cancelled!.status).toBe('cancelled');
    expect(cancelled!.items[0]!.cancelled).toBe(true);
    expect(refunded!.status).toBe('refunded');
    expect(refunded!.items[0]!.refundedQuantity).toBe(1);
  });

  it('resumes from a cursor alone: the cursor carries the since filter', async () => {
    fake = await startFakeShopify({ orders: makeShopifyOrders(80) });
    const since = new Date(Date.parse(fake.orders[9]!.updatedAt));
    const first = await connect(fake).connector.listOrders({ since, cursor: null });
    expect(first.orders).toHaveLength(50);

    // A new process after a crash: only the stored cursor survives.
    const rest = await connect(fake).connector.listOrders({ since: null, cursor: first.nextCursor });

    expect(rest.orders).toHaveLength(21);
    expect(rest.nextCursor).toBeNull();
    expect(fake.graphqlCalls.at(-1)!.variables.query).toBe(`updated_at:>='${since.toISOString()}'`);
  });

  it('waits out a THROTTLED answer mid-run and imports every order once', async () => {
    fake = await startFakeShopify({ orders: makeShopifyOrders(150) });
    fake.throttleNext({ after: 1 });
    const { connector, waits } = connect(fake);

    const { orders } = await drainOrders(connector, null);

    expect(orders).toHaveLength(150);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(150);
    // requested cost 2 + 50 × (3 + 10) = 652 points, bucket empty, 100 points/s
    expect(waits).toEqual([6520]);
    expect(fake.graphqlCalls).toHaveLength(4);
  });

  it('paces itself by the cost extension so the bucket never runs dry', async () => {
    fake = await startFakeShopify({
      orders: makeShopifyOrders(200),
      bucket: { maximumAvailable: 1000, restoreRate: 50 },
    });
    const { connector, waits } = connect(fake);

    const { orders } = await drainOrders(connector, null);

    expect(orders).toHaveLength(200);
    expect(fake.graphqlCalls).toHaveLength(4); // no request was refused
    expect(waits.length).toBeGreaterThan(0);
    // after page 1: 1000 - 202 = 798 ≥ 652, no wait; after page 2: 596 → (652-596)/50 s
    expect(waits[0]).toBe(1120);
  });

  it('syncs 1,000 orders under a realistic cost bucket, then only the changed ones', async () => {
    fake = await startFakeShopify({
      orders: makeShopifyOrders(1000),
      bucket: { maximumAvailable: 2000, restoreRate: 100 },
    });
    const { connector, waits } = connect(fake);

    const full = await drainOrders(connector, null);
    expect(full.orders).toHaveLength(1000);
    expect(new Set(full.orders.map((o) => o.externalId)).size).toBe(1000);
    expect(fake.graphqlCalls).toHaveLength(20);
    expect(waits.every((w) => w > 0 && w <= 6520)).toBe(true);

    const runStart = fake.now();
    for (const n of [3, 333, 999]) fake.mutate(makeShopifyOrder(n).id, (o) => refundShopifyLine(o, 0, 1));
    const delta = await drainOrders(connector, runStart);
    expect(delta.orders.map((o) => [o.number, o.status])).toEqual([
      ['#1003', 'refunded'],
      ['#1333', 'refunded'],
      ['#1999', 'refunded'],
    ]);
  });

  it('fetches the remaining lines of an order with more lines than the page query asks for', async () => {
    fake = await startFakeShopify({ orders: [makeShopifyOrder(1, { lineCount: 13 })] });
    const { orders } = await drainOrders(connect(fake).connector, null);
    expect(orders[0]!.items).toHaveLength(13);
    expect(new Set(orders[0]!.items.map((i) => i.externalId)).size).toBe(13);
    expect(fake.graphqlCalls).toHaveLength(2);
  });

  it('maps statuses, money in 0- and 3-decimal currencies, buyer and ids', async () => {
    const authorized = makeShopifyOrder(1, { financial: 'AUTHORIZED' });
    const shipped = makeShopifyOrder(2);
    fulfillShopifyOrder(shipped, new Date(), false);
    const completed = makeShopifyOrder(3);
    fulfillShopifyOrder(completed, new Date(), true);
    const yen = makeShopifyOrder(4, { currency: 'JPY', unitPrice: '1500', tax: '150', quantity: 2 });
    const dinar = makeShopifyOrder(5, { currency: 'KWD', unitPrice: '12.345', tax: '0.617' });
    const late = makeShopifyOrder(6, { financial: 'PENDING' });
    markShopifyPaid(late, new Date('2025-02-01T00:00:00Z'));
    fake = await startFakeShopify({ orders: [authorized, shipped, completed, yen, dinar, late] });

    const { orders } = await drainOrders(connect(fake).connector, null);
    const byNumber = new Map(orders.map((o) => [o.number, o]));

    expect(byNumber.get('#1001')!.status).toBe('pending');
    expect(byNumber.get('#1001')!.paidAt).toBeNull();
    expect(byNumber.get('#1002')!.status).toBe('shipped');
    expect(byNumber.get('#1003')!.status).toBe('completed');
    expect(byNumber.get('#1006')!.status).toBe('paid');
    expect(byNumber.get('#1006')!.paidAt).toEqual(new Date('2025-02-01T00:00:00Z'));
    const y = byNumber.get('#1004')!;
    expect([y.currency, y.total, y.taxTotal, y.items[0]!.unitPrice, y.items[0]!.tax]).toEqual([
      'JPY',
      3150,
      150,
      1500,
      150,
    ]);
    const k = byNumber.get('#1005')!;
    expect([k.total, k.items[0]!.unitPrice, k.items[0]!.tax]).toEqual([12962, 12345, 617]);
    const first = byNumber.get('#1001')!;
    expect(first.externalId).toBe('5100000001');
    expect(first.items[0]!.externalId).toBe('510000000100');
    expect(first.items[0]!.sku).toBe('EBOOK-1');
    expect(first.buyer).toEqual({ email: 'buyer1@example.com', name: 'Buyer 1', language: 'de', country: 'DE' });
    expect(first.channelStatus).toBe('AUTHORIZED/UNFULFILLED');
  });

  it('reports a bad token as a non-retryable 401 and accepts the right one', async () => {
    fake = await startFakeShopify({ orders: [] });
    await expect(connect(fake).connector.testConnection()).resolves.toBeUndefined();
    const bad = connect(fake, { credentials: { accessToken: 'wrong' } }).connector;
    const error = await bad.listOrders({ since: null, cursor: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).status).toBe(401);
    expect((error as ChannelError).retryable).toBe(false);
  });

  it('refuses a cursor from another channel', async () => {
    fake = await startFakeShopify({ orders: [] });
    const foreign = Buffer.from(JSON.stringify({ k: 'woocommerce', page: 2 })).toString('base64url');
    await expect(connect(fake).connector.listOrders({ since: null, cursor: foreign })).rejects.toThrow(
      /Not a shopify cursor/,
    );
  });
});
