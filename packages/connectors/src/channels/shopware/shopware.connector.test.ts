import type { NormalizedOrder } from '@handoff/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, type ChannelConnectorOptions, type ConnectionCredentials } from '../channel-connector.js';
import { drainOrders } from '../testing/drain-orders.js';
import { ShopwareConnector } from './shopware.connector.js';
import {
  addShopwareTransaction,
  makeShopwareOrder,
  makeShopwareOrders,
  setShopwareOrderState,
  setShopwarePayment,
} from './testing/fixtures.js';
import { startFakeShopware, type FakeShopware } from './testing/fake-shopware-server.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';

let fake: FakeShopware;
afterEach(() => fake?.close());

function connect(f: FakeShopware, overrides: Partial<ChannelConnectorOptions> = {}) {
  const waits: number[] = [];
  const saved: ConnectionCredentials[] = [];
  const connector = new ShopwareConnector({
    outbound: LOOPBACK_FAKES,
    credentials: { clientId: f.clientId, clientSecret: f.clientSecret },
    settings: { baseUrl: f.url },
    sleep: async (ms) => void waits.push(ms),
    onCredentialsChanged: async (next) => void saved.push(next),
    ...overrides,
  });
  return { connector, waits, saved };
}

describe('ShopwareConnector.listOrders', () => {
  it('gets a token once, pages with Criteria and reports the token through onCredentialsChanged', async () => {
    fake = await startFakeShopware({ orders: makeShopwareOrders(250) });
    const { connector, saved } = connect(fake);

    const { orders, pages } = await drainOrders(connector, null);

    expect(pages).toBe(3);
    expect(orders).toHaveLength(250);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(250);
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(JSON.parse(fake.tokenRequests()[0]!.body)).toEqual({
      grant_type: 'client_credentials',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });
    const criteria = fake.searches().map((s) => s.criteria);
    expect(criteria.map((c) => c.page)).toEqual([1, 2, 3]);
    expect(criteria[0]).toMatchObject({ limit: 100, 'total-count-mode': 1 });
    expect(Object.keys(criteria[0]!.associations as object)).toEqual(
      expect.arrayContaining(['lineItems', 'transactions', 'orderCustomer', 'currency', 'language']),
    );
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ clientId: fake.clientId, accessToken: expect.any(String) });
    expect(Date.parse(saved[0]!.accessTokenExpiresAt!)).toBeGreaterThan(Date.now() + 590_000);
  });

  it('second run returns only changed and new orders, matching never-updated ones on createdAt', async () => {
    fake = await startFakeShopware({ orders: makeShopwareOrders(120) });
    const { connector } = connect(fake);
    await drainOrders(connector, null);
    const runStart = fake.now();

    fake.mutate(makeShopwareOrder(5).id, (o) => setShopwarePayment(o, 'refunded_partially'));
    fake.mutate(makeShopwareOrder(6).id, (o) => setShopwareOrderState(o, 'cancelled'));
    fake.mutate(makeShopwareOrder(7).id, (o) => setShopwarePayment(o, 'refunded'));
    fake.addOrders([makeShopwareOrder(500, { createdAt: fake.now(), payment: 'open' })]);
    const second = await drainOrders(connector, runStart);

    const byNumber = new Map(second.orders.map((o) => [o.number, o]));
    expect([...byNumber.keys()].sort()).toEqual(['10005', '10006', '10007', '10500']);
    expect(byNumber.get('10005')!.status).toBe('partially_refunded');
    expect(byNumber.get('10006')!.status).toBe('cancelled');
    expect(byNumber.get('10006')!.items[0]!.cancelled).toBe(true);
    expect(byNumber.get('10007')!.status).toBe('refunded');
    expect(byNumber.get('10007')!.items[0]!.refundedQuantity).toBe(1);
    expect(byNumber.get('10500')!.status).toBe('pending');
    expect(fake.searches().at(-1)!.criteria.filter).toEqual([
      {
        type: 'multi',
        operator: 'or',
        queries: [
          { type: 'range', field: 'updatedAt', parameters: { gte: runStart.toISOString() } },
          { type: 'range', field: 'createdAt', parameters: { gte: runStart.toISOString() } },
        ],
      },
    ]);
  });

  it('refreshes an expired token on 401 mid-run and stores the new one', async () => {
    fake = await startFakeShopware({ orders: makeShopwareOrders(250) });
    const { connector, saved } = connect(fake);

    const { orders } = await drainOrders(connector, null, (page) => page === 1 && fake.expireTokens());

    expect(orders).toHaveLength(250);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(250);
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(saved).toHaveLength(2);
    expect(saved[1]!.accessToken).not.toBe(saved[0]!.accessToken);
    const statuses = fake.requests.filter((r) => r.path === '/api/search/order').length;
    expect(statuses).toBe(4); // one refused with 401, repeated once
  });

  it('reuses a stored token until its stored expiry, then asks for a new one first', async () => {
    fake = await startFakeShopware({ orders: makeShopwareOrders(3) });
    const first = connect(fake);
    await first.connector.listOrders({ since: null, cursor: null });
    const stored = first.saved[0]!;

    const reuse = connect(fake, { credentials: stored });
    await reuse.connector.listOrders({ since: null, cursor: null });
    expect(fake.tokenRequests()).toHaveLength(1);
    expect(reuse.saved).toHaveLength(0);

    const later = new Date(Date.parse(stored.accessTokenExpiresAt!) - 10_000); // inside the safety margin
    const stale = connect(fake, { credentials: stored, now: () => later });
    await stale.connector.listOrders({ since: null, cursor: null });
    expect(fake.tokenRequests()).toHaveLength(2);
    expect(fake.requests.at(-2)!.path).toBe('/api/oauth/token');
  });

  it('waits out a 429 with Retry-After and continues', async () => {
    fake = await startFakeShopware({ orders: makeShopwareOrders(150) });
    fake.failNext({ status: 429, headers: { 'retry-after': '5' }, after: 1, pathPrefix: '/api/search/order' });
    const { connector, waits } = connect(fake);
    const { orders } = await drainOrders(connector, null);
    expect(waits).toEqual([5000]);
    expect(orders).toHaveLength(150);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(150);
  });

  it('maps payment states through the newest live transaction, and money', async () => {
    const retried = makeShopwareOrder(1, { payment: 'cancelled' });
    addShopwareTransaction(retried, 'paid', new Date('2025-02-01T00:00:00Z'));
    const cancelledLast = makeShopwareOrder(2, { payment: 'paid' });
    addShopwareTransaction(cancelledLast, 'cancelled', new Date('2025-02-02T00:00:00Z'));
    fake = await startFakeShopware({
      orders: [
        retried,
        cancelledLast,
        makeShopwareOrder(3, { payment: 'authorized' }),
        makeShopwareOrder(4, { payment: 'paid_partially' }),
        makeShopwareOrder(5, { payment: 'paid', orderState: 'completed' }),
        makeShopwareOrder(6, { payment: 'chargeback' }),
        makeShopwareOrder(7, { currency: 'JPY', unitPrice: 1500, quantity: 2, taxRate: 10 }),
        makeShopwareOrder(8, { currency: 'KWD', unitPrice: 12.345 }),
        makeShopwareOrder(9, { unitPrice: 19.99, quantity: 3 }),
      ],
    });
    const { orders } = await drainOrders(connect(fake).connector, null);
    const s = new Map(orders.map((o) => [o.number, o]));

    expect(s.get('10001')!.status).toBe('paid');
    expect(s.get('10001')!.paidAt).toEqual(new Date('2025-02-01T00:00:00Z'));
    expect(s.get('10002')!.status).toBe('paid');
    expect(s.get('10003')!.status).toBe('pending');
    expect(s.get('10004')!.status).toBe('paid');
    expect(s.get('10005')!.status).toBe('completed');
    expect(s.get('10006')!.status).toBe('refunded');
    expect(s.get('10003')!.channelStatus).toBe('open/authorized');
    const yen = s.get('10007')!;
    expect([yen.total, yen.taxTotal, yen.items[0]!.unitPrice, yen.items[0]!.tax]).toEqual([3000, 273, 1500, 273]);
    const kwd = s.get('10008')!;
    expect([kwd.total, kwd.items[0]!.unitPrice]).toEqual([12345, 12345]);
    const eur = s.get('10009')!;
    expect([eur.total, eur.taxTotal, eur.items[0]!.unitPrice, eur.items[0]!.quantity]).toEqual([5997, 958, 1999, 3]);
    expect(eur.items[0]!.sku).toBe('SW10004');
    expect(eur.buyer).toEqual({
      email: 'kunde9@example.com',
      name: 'Max Mustermann 9',
      language: 'de-DE',
      country: 'DE',
    });
  });

  it('reads the JSON:API shape the same way as plain JSON', async () => {
    const seed = [makeShopwareOrder(1), makeShopwareOrder(2, { payment: 'refunded_partially' })];
    fake = await startFakeShopware({ orders: seed });
    const plain = (await drainOrders(connect(fake).connector, null)).orders;
    await fake.close();
    fake = await startFakeShopware({ orders: seed, forceJsonApi: true });
    const jsonApi = (await drainOrders(connect(fake).connector, null)).orders;

    const strip = (o: NormalizedOrder) => ({ ...o, raw: null });
    expect(jsonApi.map(strip)).toEqual(plain.map(strip));
    expect(jsonApi[1]!.status).toBe('partially_refunded');
    expect(jsonApi[0]!.items).toHaveLength(1);
  });

  it('reports wrong client credentials as a non-retryable 401', async () => {
    fake = await startFakeShopware({ orders: [] });
    await expect(connect(fake).connector.testConnection()).resolves.toBeUndefined();
    const bad = connect(fake, { credentials: { clientId: fake.clientId, clientSecret: 'wrong' } });
    const error = await bad.connector.listOrders({ since: null, cursor: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as Error).message).toContain('Client authentication failed');
    expect(bad.saved).toHaveLength(0);
  });
});
