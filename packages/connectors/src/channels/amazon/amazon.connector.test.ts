import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError } from '../channel-connector.js';
import { drainOrders } from '../testing/drain-orders.js';
import { createAmazonConnector } from './amazon.connector.js';
import { mapAmazonStatus } from './amazon-status.js';
import { connectFakeAmazon, type FakeAmazonConnectOptions } from './testing/connect-fake-amazon.js';
import {
  FAKE_AMAZON_CLIENT,
  startFakeAmazon,
  type FakeAmazon,
  type FakeAmazonOptions,
} from './testing/fake-amazon-server.js';
import { AMAZON_US, amazonOrderId, makeAmazonOrder, makeAmazonOrders, withAmazonStatus } from './testing/fixtures.js';

const T0 = Date.parse('2025-06-01T00:00:00.000Z');
const CLIENT = FAKE_AMAZON_CLIENT;

let fake: FakeAmazon | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: FakeAmazonOptions, extra: FakeAmazonConnectOptions = {}) {
  const connected = await connectFakeAmazon(T0, options, extra);
  fake = connected.fake;
  return connected;
}

describe('AmazonConnector (Orders v0) against the fake SP-API', () => {
  it('pages getOrders by NextToken, fetches every order’s items, and paces getOrderItems by its usage plan', async () => {
    const { fake, connector, waits } = await setup({ orders: makeAmazonOrders(250) });

    const { orders, pages } = await drainOrders(connector, null);

    expect(pages).toBe(3);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(250);
    const calls = fake.requestsOf('getOrders');
    expect(Object.fromEntries(calls[0]!.query)).toEqual({
      MarketplaceIds: AMAZON_US,
      LastUpdatedAfter: new Date(T0 - 729 * 86_400_000).toISOString(),
      MaxResultsPerPage: '100',
    });
    expect([...calls[1]!.query.keys()].sort()).toEqual(['MarketplaceIds', 'NextToken']);
    expect(calls[0]!.headers['x-amz-access-token']).toBe('Atza|valid');
    expect(fake.requestsOf('getOrderItems')).toHaveLength(250);
    // Burst of 30, then one call every 2 s (0.5/s): the client waits instead of collecting 429s.
    expect(fake.throttled).toBe(0);
    expect(waits).toEqual(Array(220).fill(2000));
  });

  it('follows getOrderItems’ own NextToken', async () => {
    const { fake, connector } = await setup({
      orders: [makeAmazonOrder({ index: 1, unitPrices: ['10.00', '20.00', '30.00'] })],
      itemsPageSize: 2,
    });

    const { orders } = await drainOrders(connector, null);

    expect(orders[0]!.items.map((i) => i.unitPrice)).toEqual([1000, 2000, 3000]);
    expect(fake.requestsOf('getOrderItems').map((r) => r.query.has('NextToken'))).toEqual([false, true]);
  });

  it('imports only orders updated since the last run and maps their statuses', async () => {
    const initial = makeAmazonOrders(20);
    const { fake, connector } = await setup({ orders: initial }, { settings: { pageSize: '7' } });
    expect((await drainOrders(connector, null)).orders).toHaveLength(20);

    const at = new Date(T0 + 3600_000);
    fake.upsertOrders([
      withAmazonStatus(initial[0]!, 'Shipped', at),
      withAmazonStatus(initial[1]!, 'Canceled', at),
      withAmazonStatus(initial[2]!, 'Unfulfillable', at),
      withAmazonStatus(initial[3]!, 'PartiallyShipped', at),
      makeAmazonOrder({ index: 21, status: 'Pending', createdAt: at }),
    ]);
    const second = await drainOrders(connector, new Date(T0));

    expect(fake.requestsOf('getOrders').at(-1)!.query.get('LastUpdatedAfter')).toBe(new Date(T0).toISOString());
    const byId = Object.fromEntries(second.orders.map((o) => [o.externalId, o]));
    expect(Object.keys(byId).sort()).toEqual([1, 2, 3, 4, 21].map(amazonOrderId).sort());
    expect(byId[amazonOrderId(1)]).toMatchObject({ status: 'shipped', channelStatus: 'Shipped' });
    expect(byId[amazonOrderId(2)]).toMatchObject({ status: 'cancelled', paidAt: null });
    expect(byId[amazonOrderId(2)]!.items.every((i) => i.cancelled)).toBe(true);
    expect(byId[amazonOrderId(3)]!.status).toBe('cancelled');
    expect(byId[amazonOrderId(4)]!.status).toBe('paid');
    expect(byId[amazonOrderId(21)]).toMatchObject({ status: 'pending', paidAt: null, total: 1499 });
  });

  it('after a 429 waits one restore interval from x-amzn-RateLimit-Limit and imports everything once', async () => {
    const { fake, connector, waits } = await setup({ orders: makeAmazonOrders(12) }, { settings: { pageSize: '5' } });
    fake.failNext(429, { after: 2, pathPrefix: '/orders/v0/orders/', headers: { 'x-amzn-RateLimit-Limit': '0.25' } });

    const { orders } = await drainOrders(connector, null);

    expect(orders).toHaveLength(12);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(12);
    // The 429's own rate (0.25/s → 4 s), then Amazon's bucket is empty: the rest is paced at 0.5/s.
    expect(waits[0]).toBe(4000);
    expect(waits.slice(1)).toEqual(Array(waits.length - 1).fill(2000));
    expect(waits.length).toBeGreaterThan(1);
    expect(fake.throttled).toBe(0);
    expect(fake.requestsOf('getOrderItems')).toHaveLength(13);
  });

  it('without a rate header backs off by the operation’s default plan', async () => {
    const { fake, connector, waits } = await setup({ orders: makeAmazonOrders(3), rateLimitHeader: false });
    fake.failNext(429, { pathPrefix: '/orders/v0/orders' });

    const { orders } = await drainOrders(connector, null);

    expect(orders).toHaveLength(3);
    expect(waits).toEqual([Math.ceil(1000 / 0.0167)]);
  });

  it('mints an LWA token when the stored one expired and reports the new credentials', async () => {
    const { fake, connector, credentialUpdates } = await setup(
      { orders: makeAmazonOrders(2), accessToken: undefined },
      { credentials: { ...CLIENT, accessToken: 'Atza|old', accessTokenExpiresAt: new Date(T0 - 1).toISOString() } },
    );

    await drainOrders(connector, null);

    const lwa = fake.requests.filter((r) => r.path === '/auth/o2/token');
    expect(lwa).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(lwa[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      ...Object.fromEntries([
        ['refresh_token', CLIENT.refreshToken],
        ['client_id', CLIENT.clientId],
        ['client_secret', CLIENT.clientSecret],
      ]),
    });
    expect(fake.requestsOf('getOrders')[0]!.headers['x-amz-access-token']).toBe(fake.issuedTokens[0]);
    expect(credentialUpdates).toEqual([
      expect.objectContaining({
        accessToken: fake.issuedTokens[0],
        accessTokenExpiresAt: new Date(T0 + 3600_000).toISOString(),
      }),
    ]);
  });

  it('refreshes once on 403 Unauthorized mid-run and resends the call', async () => {
    const { fake, connector, credentialUpdates } = await setup(
      { orders: makeAmazonOrders(4) },
      { settings: { pageSize: '2' } },
    );
    const first = await connector.listOrders({ since: null, cursor: null });
    fake.expireTokens();
    const second = await connector.listOrders({ since: null, cursor: first.nextCursor });

    expect([...first.orders, ...second.orders]).toHaveLength(4);
    expect(fake.issuedTokens).toHaveLength(1);
    expect(credentialUpdates).toHaveLength(1);
    expect(fake.requestsOf('getOrders').map((r) => r.headers['x-amz-access-token'])).toEqual([
      'Atza|valid',
      'Atza|valid',
      fake.issuedTokens[0],
    ]);
  });

  it('surfaces the SP-API error body in a non-retryable ChannelError', async () => {
    const { fake, connector } = await setup({ orders: makeAmazonOrders(1) });
    fake.failNext(400, {
      body: { errors: [{ code: 'InvalidInput', message: 'Invalid MarketplaceIds value', details: '' }] },
    });

    const error = (await connector.listOrders({ since: null, cursor: null }).catch((e: unknown) => e)) as ChannelError;

    expect(error).toBeInstanceOf(ChannelError);
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Invalid MarketplaceIds value');
  });

  it('converts money for 2-, 0- and 3-decimal currencies, per unit, and keeps a missing email as null', async () => {
    const { connector } = await setup({
      orders: [
        makeAmazonOrder({ index: 1, unitPrices: ['19.99', '0.29'], quantities: [2, 3], tax: '1.40' }),
        makeAmazonOrder({ index: 2, currency: 'JPY', unitPrices: ['1500'], quantities: [2], email: null }),
        makeAmazonOrder({ index: 3, currency: 'KWD', unitPrices: ['1.250'] }),
      ],
    });
    const { orders } = await drainOrders(connector, null);
    const [usd, jpy, kwd] = orders;

    expect(usd!.items.map((i) => [i.sku, i.quantity, i.unitPrice, i.tax])).toEqual([
      ['EBOOK-1', 2, 1999, 140],
      ['EBOOK-2', 3, 29, 140],
    ]);
    expect(usd).toMatchObject({ currency: 'USD', total: 3998 + 87 + 280, taxTotal: 280, status: 'paid' });
    expect(usd!.buyer.email).toBe(`${amazonOrderId(1).replace(/-/g, '')}@marketplace.amazon.com`);
    expect(usd!.paidAt).toEqual(usd!.createdAt);
    expect(jpy).toMatchObject({ currency: 'JPY', total: 3000, buyer: expect.objectContaining({ email: null }) });
    expect(kwd).toMatchObject({ currency: 'KWD', total: 1250 });
  });

  it('refuses to start without marketplaceIds', async () => {
    fake = await startFakeAmazon({});
    expect(() => createAmazonConnector({ credentials: CLIENT, settings: { baseUrl: fake!.url } })).toThrow(
      ChannelError,
    );
  });
});

describe('AmazonConnector (searchOrders 2026-01-01)', () => {
  it('pages by paginationToken, repeating the original parameters, with items inline', async () => {
    const initial = makeAmazonOrders(5, 1, { unitPrices: ['12.50', '3.00'], quantities: [2, 1], tax: '0.50' });
    const { fake, connector } = await setup(
      {
        orders: [
          ...initial.slice(0, 3),
          withAmazonStatus(initial[3]!, 'Canceled', new Date(T0 - 1000)),
          withAmazonStatus(initial[4]!, 'Shipped', new Date(T0 - 500)),
        ],
      },
      { settings: { ordersApi: '2026-01-01', pageSize: '2' } },
    );

    const { orders, pages } = await drainOrders(connector, new Date(T0 - 86_400_000 * 200));

    expect(pages).toBe(3);
    expect(orders).toHaveLength(5);
    const calls = fake.requestsOf('searchOrders');
    expect(Object.fromEntries(calls[0]!.query)).toEqual({
      marketplaceIds: AMAZON_US,
      lastUpdatedAfter: new Date(T0 - 86_400_000 * 200).toISOString(),
      maxResultsPerPage: '2',
      includedData: 'BUYER,PROCEEDS,FULFILLMENT,CANCELLATION',
    });
    expect(calls[1]!.query.get('lastUpdatedAfter')).toBe(calls[0]!.query.get('lastUpdatedAfter'));
    expect(calls[1]!.query.has('paginationToken')).toBe(true);
    expect(fake.requestsOf('getOrderItems')).toHaveLength(0);

    const byId = Object.fromEntries(orders.map((o) => [o.externalId, o]));
    const first = byId[amazonOrderId(1)]!;
    expect(first).toMatchObject({
      status: 'paid',
      channelStatus: 'UNSHIPPED',
      currency: 'USD',
      total: 2500 + 300 + 100,
      taxTotal: 100,
    });
    expect(first.items.map((i) => [i.sku, i.quantity, i.unitPrice, i.tax])).toEqual([
      ['EBOOK-1', 2, 1250, 50],
      ['EBOOK-2', 1, 300, 50],
    ]);
    expect(first.buyer.email).toContain('@marketplace.amazon.com');
    expect(byId[amazonOrderId(4)]).toMatchObject({ status: 'cancelled', channelStatus: 'CANCELLED' });
    expect(byId[amazonOrderId(5)]).toMatchObject({ status: 'shipped' });
  });

  it('refuses a v0 cursor', async () => {
    const { connector } = await setup({ orders: makeAmazonOrders(1) }, { settings: { ordersApi: '2026-01-01' } });
    const foreign = Buffer.from(JSON.stringify({ k: 'amazon', api: 'v0', token: 'x' })).toString('base64url');
    await expect(connector.listOrders({ since: null, cursor: foreign })).rejects.toBeInstanceOf(ChannelError);
  });
});

describe('mapAmazonStatus', () => {
  it.each([
    ['Pending', 'pending'],
    ['PendingAvailability', 'pending'],
    ['Unshipped', 'paid'],
    ['PartiallyShipped', 'paid'],
    ['InvoiceUnconfirmed', 'paid'],
    ['Shipped', 'shipped'],
    ['Canceled', 'cancelled'],
    ['Unfulfillable', 'cancelled'],
    ['PENDING_AVAILABILITY', 'pending'],
    ['PARTIALLY_SHIPPED', 'paid'],
    ['CANCELLED', 'cancelled'],
  ])('%s → %s', (status, expected) => {
    expect(mapAmazonStatus(status)).toBe(expected);
  });
});
