import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, type ConnectionCredentials } from '../channel-connector.js';
import { drainOrders } from '../testing/drain-orders.js';
import { recordingHooks } from '../testing/recording-hooks.js';
import { ChannelRateLimitError } from '../http/channel-http.js';
import { createEtsyConnector } from './etsy.connector.js';
import { etsyMoneyToMinor } from './etsy-money.js';
import { mapEtsyStatus } from './etsy-status.js';
import { startFakeEtsy, type FakeEtsy, type FakeEtsyOptions } from './testing/fake-etsy-server.js';
import {
  ETSY_BASE_TIME,
  cancelEtsyReceipt,
  completeEtsyReceipt,
  etsyReceiptId,
  makeEtsyReceipt,
  makeEtsyReceipts,
  partiallyRefundEtsyReceipt,
  refundEtsyReceipt,
  unpaidEtsyReceipt,
} from './testing/fixtures.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';

const T0 = Date.parse('2025-06-01T00:00:00.000Z');

let fake: FakeEtsy | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Starts the fake and a connector sharing one fake clock that only sleeps advance. */
async function setup(
  fakeOptions: FakeEtsyOptions,
  extra: { credentials?: ConnectionCredentials; pageSize?: number } = {},
) {
  const { clock, waits, credentialUpdates, hooks } = recordingHooks(T0);
  fake = await startFakeEtsy({ accessToken: 'valid-token', ...fakeOptions, now: () => clock.t });
  const connector = createEtsyConnector({
    outbound: LOOPBACK_FAKES,
    credentials: extra.credentials ?? {
      apiKey: 'etsy-keystring',
      refreshToken: 'etsy-refresh-token',
      accessToken: 'valid-token',
      accessTokenExpiresAt: new Date(T0 + 3600_000).toISOString(),
    },
    settings: { baseUrl: fake.url, shopId: String(fake.shopId), pageSize: String(extra.pageSize ?? 100) },
    ...hooks,
  });
  return { fake, connector, waits, credentialUpdates, clock };
}

describe('EtsyConnector against the fake Open API v3', () => {
  it('pages through all receipts sorted by update time with both auth headers', async () => {
    const { fake, connector } = await setup({ receipts: makeEtsyReceipts(250) });

    const { orders, pages } = await drainOrders(connector, null);

    expect(pages).toBe(3);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(250);
    const first = fake.receiptRequests()[0]!;
    expect(Object.fromEntries(first.query)).toEqual({
      min_last_modified: '946684800',
      sort_on: 'updated',
      sort_order: 'asc',
      limit: '100',
      offset: '0',
    });
    expect(first.headers['x-api-key']).toBe('etsy-keystring');
    expect(first.headers.authorization).toBe('Bearer valid-token');
    // Keyset: later pages restart at the last update second seen.
    expect(fake.receiptRequests()[1]!.query.get('min_last_modified')).toBe(String(ETSY_BASE_TIME + 100 * 60));
    expect(fake.receiptRequests()[1]!.query.get('offset')).toBe('0');
  });

  it('loses no receipt when one it already returned changes mid-run, and handles many receipts in one second', async () => {
    const sameSecond = makeEtsyReceipts(25, 1, { updatedAt: ETSY_BASE_TIME });
    const { fake, connector } = await setup(
      { receipts: [...sameSecond, ...makeEtsyReceipts(10, 26)] },
      { pageSize: 10 },
    );
    const seen = new Set<string>();
    let page = await connector.listOrders({ since: null, cursor: null });
    page.orders.forEach((o) => seen.add(o.externalId));
    // A receipt from page one is modified: a plain offset would now skip an unseen receipt.
    fake.upsertReceipts([completeEtsyReceipt(fake.receipts[0]!, ETSY_BASE_TIME + 86_400)]);
    while (page.nextCursor) {
      page = await connector.listOrders({ since: null, cursor: page.nextCursor });
      page.orders.forEach((o) => seen.add(o.externalId));
    }
    expect(seen.size).toBe(35);
  });

  it('imports only receipts changed since the last run, mapping refunds, cancellations and completion', async () => {
    const initial = makeEtsyReceipts(20, 1, { unitAmounts: [1500, 500], quantities: [1, 2] });
    const { fake, connector } = await setup({ receipts: initial }, { pageSize: 10 });
    expect((await drainOrders(connector, null)).orders).toHaveLength(20);

    const changedAt = Math.floor(T0 / 1000) + 3600;
    fake.upsertReceipts([
      refundEtsyReceipt(initial[1]!, changedAt),
      partiallyRefundEtsyReceipt(initial[3]!, 500, changedAt),
      cancelEtsyReceipt(initial[5]!, changedAt),
      completeEtsyReceipt(initial[7]!, changedAt),
      unpaidEtsyReceipt(makeEtsyReceipt({ index: 21, createdAt: changedAt })),
    ]);
    const second = await drainOrders(connector, new Date(T0));

    expect(fake.receiptRequests().at(-1)!.query.get('min_last_modified')).toBe(String(T0 / 1000));
    const byId = new Map(second.orders.map((o) => [o.externalId, o]));
    expect([...byId.keys()].sort()).toEqual([2, 4, 6, 8, 21].map((i) => String(etsyReceiptId(i))).sort());
    const refunded = byId.get(String(etsyReceiptId(2)))!;
    expect(refunded).toMatchObject({ status: 'refunded', channelStatus: 'fully refunded' });
    expect(refunded.items.map((i) => i.refundedQuantity)).toEqual([1, 2]);
    const partial = byId.get(String(etsyReceiptId(4)))!;
    expect(partial.status).toBe('partially_refunded');
    expect(partial.items.map((i) => i.refundedQuantity)).toEqual([0, 0]);
    const cancelled = byId.get(String(etsyReceiptId(6)))!;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.items.every((i) => i.cancelled)).toBe(true);
    expect(byId.get(String(etsyReceiptId(8)))!.status).toBe('completed');
    const unpaid = byId.get(String(etsyReceiptId(21)))!;
    expect(unpaid).toMatchObject({ status: 'pending', paidAt: null });
  });

  it('waits for a new window before the per-second allowance runs out', async () => {
    const { fake, connector, waits } = await setup(
      { receipts: makeEtsyReceipts(50), limitPerSecond: 3 },
      { pageSize: 5 },
    );

    const { orders } = await drainOrders(connector, null);

    expect(new Set(orders.map((o) => o.externalId)).size).toBe(50);
    expect(fake.throttled).toBe(0);
    // 3 per second, one kept spare: a pause after every second request.
    expect(waits).toEqual(Array(Math.ceil(fake.receiptRequests().length / 2) - 1).fill(1000));
  });

  it('after a 429 without headers waits a window and continues, importing each receipt once', async () => {
    const { fake, connector, waits } = await setup({ receipts: makeEtsyReceipts(30) }, { pageSize: 10 });
    fake.failNext(429, { after: 1, pathPrefix: '/v3/application' });

    const { orders, pages } = await drainOrders(connector, null);

    expect(orders).toHaveLength(30);
    expect(new Set(orders.map((o) => o.externalId)).size).toBe(30);
    expect(waits).toEqual([1000]);
    // One request per page plus the one answered with 429, sent again with the same query.
    const requests = fake.receiptRequests();
    expect(requests).toHaveLength(pages + 1);
    expect(requests[2]!.query.toString()).toBe(requests[1]!.query.toString());
  });

  it('stops with ChannelRateLimitError once the daily quota is spent, without another call', async () => {
    const { fake, connector } = await setup({ receipts: makeEtsyReceipts(30), limitPerDay: 2 }, { pageSize: 10 });
    const first = await connector.listOrders({ since: null, cursor: null });
    const second = await connector.listOrders({ since: null, cursor: first.nextCursor });

    const error = await connector.listOrders({ since: null, cursor: second.nextCursor }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChannelRateLimitError);
    expect((error as ChannelRateLimitError).retryable).toBe(true);
    expect(fake.receiptRequests()).toHaveLength(2);
  });

  it('refreshes an expired token, sends keystring:secret, and stores the rotated refresh token', async () => {
    const { fake, connector, credentialUpdates } = await setup(
      { receipts: makeEtsyReceipts(3), accessToken: undefined },
      {
        credentials: {
          apiKey: 'etsy-keystring',
          sharedSecret: 'etsy-secret',
          refreshToken: 'etsy-refresh-token',
          accessToken: 'old',
          accessTokenExpiresAt: new Date(T0 - 1).toISOString(),
        },
      },
    );

    const { orders } = await drainOrders(connector, null);

    expect(orders).toHaveLength(3);
    const tokenCall = fake.requests.find((r) => r.path === '/v3/public/oauth/token')!;
    expect(Object.fromEntries(new URLSearchParams(tokenCall.body))).toEqual({
      grant_type: 'refresh_token',
      client_id: 'etsy-keystring',
      refresh_token: 'etsy-refresh-token',
    });
    expect(fake.receiptRequests()[0]!.headers['x-api-key']).toBe('etsy-keystring:etsy-secret');
    expect(credentialUpdates).toEqual([
      expect.objectContaining({
        accessToken: fake.issuedTokens[0],
        refreshToken: fake.refreshToken,
        accessTokenExpiresAt: new Date(T0 + 3600_000).toISOString(),
      }),
    ]);
  });

  it('refreshes once when a token is rejected mid-run', async () => {
    const { fake, connector, credentialUpdates } = await setup({ receipts: makeEtsyReceipts(15) }, { pageSize: 10 });
    const first = await connector.listOrders({ since: null, cursor: null });
    fake.expireTokens();
    const second = await connector.listOrders({ since: null, cursor: first.nextCursor });

    expect(first.orders.length + second.orders.length).toBe(15);
    expect(fake.issuedTokens).toHaveLength(1);
    expect(credentialUpdates).toHaveLength(1);
    expect(fake.receiptRequests().map((r) => r.headers.authorization)).toEqual([
      'Bearer valid-token',
      'Bearer valid-token',
      `Bearer ${fake.issuedTokens[0]}`,
    ]);
  });

  it('surfaces the Etsy error body in a non-retryable ChannelError', async () => {
    const { fake, connector } = await setup({ receipts: makeEtsyReceipts(1) });
    fake.failNext(400, { body: { error: 'Expected int >= 946684800 for min_last_modified' } });

    const error = (await connector.listOrders({ since: null, cursor: null }).catch((e: unknown) => e)) as ChannelError;

    expect(error).toBeInstanceOf(ChannelError);
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Expected int >= 946684800 for min_last_modified');
  });

  it('converts money objects and keeps buyer details, times and lines', async () => {
    const { connector } = await setup({
      receipts: [
        makeEtsyReceipt({ index: 1, unitAmounts: [1999, 29], quantities: [2, 3], taxAmount: 160 }),
        makeEtsyReceipt({ index: 2, currency: 'JPY', unitAmounts: [1500], quantities: [2], email: null }),
      ],
    });
    const { orders } = await drainOrders(connector, null);
    const [usd, jpy] = orders;

    expect(usd).toMatchObject({
      currency: 'USD',
      total: 3998 + 87 + 160,
      taxTotal: 160,
      number: String(etsyReceiptId(1)),
    });
    expect(usd!.items.map((i) => [i.sku, i.title, i.quantity, i.unitPrice])).toEqual([
      ['PLANNER-1', 'Printable Planner 1', 2, 1999],
      ['PLANNER-2', 'Printable Planner 2', 3, 29],
    ]);
    expect(usd!.buyer).toEqual({ email: 'buyer1@example.com', name: 'Buyer 1', language: null, country: 'US' });
    expect(usd!.createdAt).toEqual(new Date((ETSY_BASE_TIME + 60) * 1000));
    expect(usd!.paidAt).toEqual(usd!.createdAt);
    expect(jpy).toMatchObject({ currency: 'JPY', total: 3000, buyer: expect.objectContaining({ email: null }) });
  });

  it('tests the connection with one call', async () => {
    const { fake, connector } = await setup({ receipts: [] });
    await connector.testConnection();
    expect(fake.receiptRequests()).toHaveLength(1);
  });
});

describe('etsyMoneyToMinor', () => {
  it.each([
    [{ amount: 1999, divisor: 100, currency_code: 'USD' }, 1999],
    [{ amount: 1500, divisor: 1, currency_code: 'JPY' }, 1500],
    [{ amount: 15, divisor: 1, currency_code: 'EUR' }, 1500],
    [{ amount: 12345, divisor: 1000, currency_code: 'KWD' }, 12345],
    [{ amount: 12345, divisor: 1000, currency_code: 'USD' }, 1235],
  ])('%j → %d', (money, expected) => {
    expect(etsyMoneyToMinor(money)).toBe(expected);
  });
});

describe('mapEtsyStatus', () => {
  it.each([
    ['paid', true, false, 'paid'],
    ['Paid', true, true, 'shipped'],
    ['completed', true, true, 'completed'],
    ['open', false, false, 'pending'],
    ['open', true, false, 'paid'],
    ['payment processing', false, false, 'pending'],
    ['canceled', true, false, 'cancelled'],
    ['fully refunded', true, false, 'refunded'],
    ['Partially Refunded', true, true, 'partially_refunded'],
  ] as const)('%s (is_paid %s, is_shipped %s) → %s', (status, isPaid, isShipped, expected) => {
    expect(mapEtsyStatus({ status, is_paid: isPaid, is_shipped: isShipped })).toBe(expected);
  });
});
