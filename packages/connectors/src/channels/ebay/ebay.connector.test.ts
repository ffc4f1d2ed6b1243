import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, type ConnectionCredentials } from '../channel-connector.js';
import { drainOrders } from '../testing/drain-orders.js';
import { recordingHooks } from '../testing/recording-hooks.js';
import { createEbayConnector } from './ebay.connector.js';
import { mapEbayStatus } from './ebay-status.js';
import { startFakeEbay, type FakeEbay } from './testing/fake-ebay-server.js';
import {
  cancelEbayOrder,
  ebayOrderId,
  fulfillEbayOrder,
  makeEbayOrder,
  makeEbayOrders,
  partiallyRefundEbayOrder,
  refundEbayOrder,
} from './testing/fixtures.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';

const T0 = Date.parse('2025-06-01T00:00:00.000Z');

function harness(fake: FakeEbay, extra: { credentials?: ConnectionCredentials; pageSize?: number } = {}) {
  const { clock, waits, credentialUpdates, hooks } = recordingHooks(T0);
  const connector = createEbayConnector({
    outbound: LOOPBACK_FAKES,
    credentials: extra.credentials ?? {
      clientId: 'ebay-client-id',
      clientSecret: 'ebay-client-secret',
      refreshToken: 'ebay-refresh-token',
      accessToken: 'initial-token',
      accessTokenExpiresAt: new Date(T0 + 3600_000).toISOString(),
    },
    settings: { baseUrl: fake.url, pageSize: String(extra.pageSize ?? 200) },
    ...hooks,
  });
  return {
    connector,
    waits,
    credentialUpdates,
    setClock: (at: number) => {
      clock.t = at;
    },
  };
}

let fake: FakeEbay | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('EbayConnector against the fake Sell Fulfillment API', () => {
  it('pages through every order with limit/offset inside one fixed lastmodifieddate window', async () => {
    fake = await startFakeEbay({ orders: makeEbayOrders(450), accessToken: 'initial-token' });
    const { connector } = harness(fake);

    const { orders, pages } = await drainOrders(connector, null);

    expect(pages).toBe(3);
    expect(orders).toHaveLength(450);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(450);
    const requests = fake.orderRequests();
    expect(requests.map((r) => r.query.get('offset'))).toEqual(['0', '200', '400']);
    expect(requests.every((r) => r.query.get('limit') === '200')).toBe(true);
    expect(new Set(requests.map((r) => r.query.get('filter'))).size).toBe(1);
    expect(requests[0]!.query.get('filter')).toBe(
      'lastmodifieddate:[2023-06-02T00:00:00.000Z..2025-06-01T00:00:00.000Z]',
    );
    expect(requests[0]!.headers.authorization).toBe('Bearer initial-token');
  });

  it('imports only orders changed since the last run on the second run', async () => {
    const initial = makeEbayOrders(30, 1, { unitPrices: ['5.00', '7.50'] });
    fake = await startFakeEbay({ orders: initial, accessToken: 'initial-token' });
    const h = harness(fake, { pageSize: 10 });
    const first = await drainOrders(h.connector, null);
    expect(first.orders).toHaveLength(30);

    const changedAt = new Date(T0 + 86_400_000);
    fake.upsertOrders([
      refundEbayOrder(initial[2]!, changedAt),
      partiallyRefundEbayOrder(initial[5]!, 1, changedAt),
      cancelEbayOrder(initial[7]!, changedAt),
      fulfillEbayOrder(initial[9]!, changedAt),
      makeEbayOrder({ index: 31, createdAt: changedAt }),
    ]);
    h.setClock(T0 + 2 * 86_400_000);

    const second = await drainOrders(h.connector, new Date(T0));
    const byId = new Map(second.orders.map((o) => [o.externalId, o]));
    expect([...byId.keys()].sort()).toEqual([3, 6, 8, 10, 31].map(ebayOrderId).sort());
    expect(byId.get(ebayOrderId(3))).toMatchObject({
      status: 'refunded',
      channelStatus: 'FULLY_REFUNDED/NOT_STARTED/NONE_REQUESTED',
    });
    expect(byId.get(ebayOrderId(3))!.items.every((i) => i.refundedQuantity === i.quantity)).toBe(true);
    const partial = byId.get(ebayOrderId(6))!;
    expect(partial.status).toBe('partially_refunded');
    expect(partial.items.map((i) => i.refundedQuantity)).toEqual([0, 1]);
    const cancelled = byId.get(ebayOrderId(8))!;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.items.every((i) => i.cancelled)).toBe(true);
    expect(byId.get(ebayOrderId(10))!.status).toBe('shipped');
    expect(byId.get(ebayOrderId(31))!.status).toBe('paid');
    expect(fake.orderRequests().at(-1)!.query.get('filter')).toBe(
      'lastmodifieddate:[2025-06-01T00:00:00.000Z..2025-06-03T00:00:00.000Z]',
    );
  });

  it('waits after a 429 mid-run and carries on, importing every order exactly once', async () => {
    fake = await startFakeEbay({ orders: makeEbayOrders(25), accessToken: 'initial-token' });
    const h = harness(fake, { pageSize: 10 });
    fake.failNext(429, { after: 1, times: 2, pathPrefix: '/sell/fulfillment' });

    const { orders } = await drainOrders(h.connector, null);

    expect(orders).toHaveLength(25);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(25);
    // Two backoff steps (1 s, then 2 s, each with jitter of up to half the step).
    expect(h.waits).toHaveLength(2);
    expect(h.waits[0]).toBeGreaterThanOrEqual(500);
    expect(h.waits[0]).toBeLessThanOrEqual(1000);
    expect(h.waits[1]).toBeGreaterThanOrEqual(1000);
    expect(h.waits[1]).toBeLessThanOrEqual(2000);
    expect(fake.orderRequests().map((r) => r.query.get('offset'))).toEqual(['0', '10', '10', '10', '20']);
  });

  it('refreshes an expired token before calling and reports the new credentials', async () => {
    fake = await startFakeEbay({ orders: makeEbayOrders(3) });
    const h = harness(fake, {
      credentials: {
        clientId: 'ebay-client-id',
        clientSecret: 'ebay-client-secret',
        refreshToken: 'ebay-refresh-token',
        accessToken: 'stale',
        accessTokenExpiresAt: new Date(T0 - 1000).toISOString(),
      },
    });

    const { orders } = await drainOrders(h.connector, null);

    expect(orders).toHaveLength(3);
    const tokenCall = fake.requests.find((r) => r.path === '/identity/v1/oauth2/token')!;
    expect(tokenCall.headers.authorization).toBe(
      `Basic ${Buffer.from('ebay-client-id:ebay-client-secret').toString('base64')}`,
    );
    expect(new URLSearchParams(tokenCall.body).get('grant_type')).toBe('refresh_token');
    expect(fake.orderRequests().every((r) => r.headers.authorization === `Bearer ${fake!.issuedTokens[0]}`)).toBe(true);
    expect(h.credentialUpdates).toEqual([
      expect.objectContaining({
        accessToken: fake.issuedTokens[0],
        accessTokenExpiresAt: new Date(T0 + 7200_000).toISOString(),
        refreshToken: 'ebay-refresh-token',
      }),
    ]);
  });

  it('refreshes once on a 401 mid-run and retries the same page', async () => {
    fake = await startFakeEbay({ orders: makeEbayOrders(15), accessToken: 'initial-token' });
    const h = harness(fake, { pageSize: 10 });
    const firstPage = await h.connector.listOrders({ since: null, cursor: null });
    fake.expireTokens();
    const secondPage = await h.connector.listOrders({ since: null, cursor: firstPage.nextCursor });

    expect(firstPage.orders).toHaveLength(10);
    expect(secondPage.orders).toHaveLength(5);
    expect(secondPage.nextCursor).toBeNull();
    expect(fake.issuedTokens).toHaveLength(1);
    expect(h.credentialUpdates.map((c) => c.accessToken)).toEqual(fake.issuedTokens);
    const statuses = fake.orderRequests().map((r) => r.headers.authorization);
    expect(statuses).toEqual(['Bearer initial-token', 'Bearer initial-token', `Bearer ${fake.issuedTokens[0]}`]);
  });

  it('fails without retrying when the refresh token is rejected', async () => {
    fake = await startFakeEbay({ orders: makeEbayOrders(1), refreshToken: 'another' });
    const h = harness(fake, {
      credentials: { clientId: 'ebay-client-id', clientSecret: 'ebay-client-secret', refreshToken: 'revoked' },
    });

    const error = await h.connector.listOrders({ since: null, cursor: null }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).retryable).toBe(false);
    expect((error as ChannelError).message).toContain('refresh token is invalid');
    expect(fake.orderRequests()).toHaveLength(0);
  });

  it('surfaces the eBay error body in a non-retryable ChannelError', async () => {
    fake = await startFakeEbay({ orders: makeEbayOrders(1), accessToken: 'initial-token' });
    const h = harness(fake);
    fake.failNext(400, {
      body: {
        errors: [
          {
            errorId: 30850,
            domain: 'API_FULFILLMENT',
            category: 'REQUEST',
            message: 'Invalid date range',
            longMessage: 'The date range is invalid.',
          },
        ],
      },
    });

    const error = (await h.connector
      .listOrders({ since: null, cursor: null })
      .catch((e: unknown) => e)) as ChannelError;

    expect(error).toBeInstanceOf(ChannelError);
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('The date range is invalid.');
  });

  it('converts money to minor units for 2-, 0- and 3-decimal currencies and keeps buyer details', async () => {
    fake = await startFakeEbay({
      orders: [
        makeEbayOrder({ index: 1, unitPrices: ['19.99', '0.29'], quantities: [2, 3], tax: '1.40' }),
        makeEbayOrder({ index: 2, currency: 'JPY', unitPrices: ['1500'], quantities: [2] }),
        makeEbayOrder({ index: 3, currency: 'KWD', unitPrices: ['1.250'], email: null }),
      ],
      accessToken: 'initial-token',
    });
    const { orders } = await drainOrders(harness(fake).connector, null);
    const byId = new Map(orders.map((o) => [o.externalId, o]));

    const usd = byId.get(ebayOrderId(1))!;
    expect(usd.items.map((i) => [i.sku, i.quantity, i.unitPrice, i.tax])).toEqual([
      ['EBOOK-1', 2, 1999, 140],
      ['EBOOK-2', 3, 29, 140],
    ]);
    expect(usd).toMatchObject({ currency: 'USD', total: 3998 + 87 + 280, taxTotal: 280 });
    expect(usd.buyer).toEqual({ email: 'buyer1@example.com', name: 'Buyer 1', language: null, country: 'US' });
    expect(usd.paidAt).toEqual(usd.createdAt);

    expect(byId.get(ebayOrderId(2))).toMatchObject({
      currency: 'JPY',
      total: 3000,
      items: [expect.objectContaining({ unitPrice: 1500 })],
    });
    const kwd = byId.get(ebayOrderId(3))!;
    expect(kwd).toMatchObject({ currency: 'KWD', total: 1250 });
    expect(kwd.buyer.email).toBeNull();
  });

  it('tests the connection with one cheap call', async () => {
    fake = await startFakeEbay({ orders: makeEbayOrders(5), accessToken: 'initial-token' });
    await harness(fake).connector.testConnection();
    expect(fake.orderRequests()).toHaveLength(1);
    expect(fake.orderRequests()[0]!.query.get('limit')).toBe('1');
  });
});

describe('mapEbayStatus', () => {
  const cases: Array<[string, string, string, string]> = [
    ['PAID', 'NOT_STARTED', 'NONE_REQUESTED', 'paid'],
    ['PAID', 'IN_PROGRESS', 'NONE_REQUESTED', 'paid'],
    ['PAID', 'FULFILLED', 'NONE_REQUESTED', 'shipped'],
    ['PENDING', 'NOT_STARTED', 'NONE_REQUESTED', 'pending'],
    ['FAILED', 'NOT_STARTED', 'NONE_REQUESTED', 'pending'],
    ['FULLY_REFUNDED', 'FULFILLED', 'NONE_REQUESTED', 'refunded'],
    ['PARTIALLY_REFUNDED', 'FULFILLED', 'NONE_REQUESTED', 'partially_refunded'],
    ['FULLY_REFUNDED', 'NOT_STARTED', 'CANCELED', 'cancelled'],
    ['PAID', 'NOT_STARTED', 'IN_PROGRESS', 'paid'],
  ];
  it.each(cases)('%s / %s / %s → %s', (payment, fulfillment, cancelState, expected) => {
    const mapped = mapEbayStatus({
      orderPaymentStatus: payment,
      orderFulfillmentStatus: fulfillment,
      cancelStatus: { cancelState },
    });
    expect(mapped.status).toBe(expected);
    expect(mapped.channelStatus).toBe(`${payment}/${fulfillment}/${cancelState}`);
    expect(mapped.tags).toEqual(cancelState === 'IN_PROGRESS' ? ['cancel-requested'] : []);
  });
});
