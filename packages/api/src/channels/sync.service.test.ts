import { signBase64HmacSha256 } from '@handoff/connectors';
import { startFakeShopify, type FakeShopify } from '@handoff/connectors/channels/shopify/testing/fake-shopify-server';
import {
  makeShopifyOrders,
  markShopifyPaid,
  refundShopifyLine,
  toShopifyRestOrder,
} from '@handoff/connectors/channels/shopify/testing/fixtures';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { Merchant } from '../merchants/merchant.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { ChannelConnection } from './channel-connection.entity.js';
import { SyncRun } from './sync-run.entity.js';

const CLIENT_SECRET = 'shopify-app-secret';

describe('channel sync and webhooks against a fake Shopify', () => {
  let api: TestApi;
  let shop: FakeShopify;
  let connectionId: string;
  const em = () => api.orm.em.fork();
  const scalar = async (sql: string, params: unknown[] = []) =>
    Number((await em().getConnection().execute<{ n: number }[]>(sql, params))[0]!.n);
  const orderCount = () => scalar('select count(*)::int as n from "order" where connection_id = ?', [connectionId]);
  const paidTriggers = () =>
    scalar(
      `select count(*)::int as n from order_trigger t join "order" o on o.id = t.order_id where o.connection_id = ? and t.kind = 'order.paid'`,
      [connectionId],
    );
  const sync = () => api.services.sync.run(em(), connectionId, 'manual');

  async function postWebhook(body: string, headers: Record<string, string>) {
    const res = await fetch(`${api.url}/webhooks/${connectionId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const signed = (body: string, eventId: string, topic = 'orders/updated') => ({
    'x-shopify-topic': topic,
    'x-shopify-event-id': eventId,
    'x-shopify-hmac-sha256': signBase64HmacSha256(CLIENT_SECRET, body),
  });

  beforeAll(async () => {
    api = await startTestApi(inject('database'), { connectorOverrides: { sleep: async () => {} } });
  });
  afterAll(() => api.close());

  beforeEach(async () => {
    await shop?.close();
    shop = await startFakeShopify({ orders: makeShopifyOrders(120) });
    const e = em();
    const merchant = e.create(Merchant, { name: 'Sync shop' });
    const connection = e.create(ChannelConnection, {
      merchant,
      kind: 'shopify',
      name: 'Fake Shopify',
      settings: { shop: shop.shop, baseUrl: shop.url, pageSize: '50' },
      credentialsEncrypted: api.services.connectors.seal({
        accessToken: shop.accessToken,
        clientSecret: CLIENT_SECRET,
      }),
    });
    await e.flush();
    connectionId = connection.id;
  });

  it('imports every page, then a second run writes no order', async () => {
    const first = await sync();
    expect(first).toMatchObject({ status: 'succeeded', counts: { created: 120, updated: 0 } });
    expect(await orderCount()).toBe(120);
    expect(await paidTriggers()).toBe(120);
    const run = await em().findOneOrFail(SyncRun, { id: first!.runId });
    expect(run).toMatchObject({ status: 'succeeded', pages: 3, created: 120 });

    const stamp = await scalar(
      'select count(*)::int as n from "order" where connection_id = ? and updated_at > now() - interval \'1 hour\'',
      [connectionId],
    );
    const second = await sync();
    expect(second).toMatchObject({ status: 'succeeded', counts: { created: 0, updated: 0 } });
    expect(await orderCount()).toBe(120);
    const events = await scalar(
      'select count(*)::int as n from order_event e join "order" o on o.id = e.order_id where o.connection_id = ?',
      [connectionId],
    );
    expect(events).toBe(120);
    expect(
      await scalar(
        'select count(*)::int as n from "order" where connection_id = ? and updated_at > now() - interval \'1 hour\'',
        [connectionId],
      ),
    ).toBe(stamp);
  });

  it('picks up a change incrementally (a partial refund of one line)', async () => {
    await sync();
    const id = shop.orders[7]!.id;
    shop.mutate(id, (o) => refundShopifyLine(o, 0, 1));
    const before = shop.graphqlCalls.length;
    const next = await sync();
    expect(next).toMatchObject({ status: 'succeeded', counts: { created: 0, updated: 1 } });
    expect(shop.graphqlCalls.length - before).toBe(1);
    expect(
      await scalar(
        `select count(*)::int as n from order_trigger where kind = 'order.line_refunded' and merchant_id = (select merchant_id from channel_connection where id = ?)`,
        [connectionId],
      ),
    ).toBe(1);
  });

  it('waits out a 429 in the middle of a run and imports everything once', async () => {
    shop.failNext({
      status: 429,
      headers: { 'Retry-After': '2' },
      body: { errors: 'Exceeded 2 calls per second' },
      after: 1,
    });
    const result = await sync();
    expect(result).toMatchObject({ status: 'succeeded', counts: { created: 120 } });
    expect(await orderCount()).toBe(120);
    expect(shop.requests.filter((r) => r.path.includes('graphql')).length).toBeGreaterThanOrEqual(4);
  });

  it('resumes an interrupted run from its saved cursor without importing anything twice', async () => {
    // The connector retries 5 times; the 6th failure ends the run after page 1.
    shop.failNext({ status: 503, body: 'upstream down', after: 1, times: 6 });
    const broken = await sync();
    expect(broken?.status).toBe('failed');
    expect(await orderCount()).toBe(50);
    const saved = await em().findOneOrFail(ChannelConnection, { id: connectionId });
    expect(saved.cursor).toBeTruthy();

    const callsBefore = shop.graphqlCalls.length;
    const resumed = await sync();
    expect(resumed).toMatchObject({ status: 'succeeded', counts: { created: 70 } });
    expect(shop.graphqlCalls[callsBefore]!.variables.after).toBeTruthy();
    expect(await orderCount()).toBe(120);
    expect(await paidTriggers()).toBe(120);
  });

  it('accepts a signed webhook once, refuses a bad signature, and ignores a stale retry', async () => {
    const order = shop.orders[0]!;
    const body = JSON.stringify(toShopifyRestOrder(order));
    const first = await postWebhook(body, signed(body, 'evt-1'));
    expect(first).toMatchObject({ status: 200, body: { status: 'processed', created: 1 } });
    expect(await postWebhook(body, signed(body, 'evt-1'))).toMatchObject({
      status: 200,
      body: { status: 'duplicate' },
    });

    const tampered = body.replace('"email"', '"emai1"');
    const refused = await postWebhook(tampered, signed(body, 'evt-2'));
    expect(refused.status).toBe(401);
    expect(await scalar('select count(*)::int as n from webhook_delivery where delivery_id = ?', ['evt-2'])).toBe(0);
    expect((await postWebhook(body, { ...signed(body, 'evt-3'), 'x-shopify-hmac-sha256': 'AAAA' })).status).toBe(401);

    // The shop refunds the order; then Shopify retries an older delivery.
    shop.mutate(order.id, (o) => refundShopifyLine(o, 0, 1));
    const newer = JSON.stringify(toShopifyRestOrder(shop.orders[0]!));
    expect((await postWebhook(newer, signed(newer, 'evt-4'))).body).toMatchObject({ updated: 1 });
    expect((await postWebhook(body, signed(body, 'evt-5'))).body).toMatchObject({ stale: 1, updated: 0 });
    const status = await em()
      .getConnection()
      .execute<{ status: string }[]>('select status from "order" where connection_id = ?', [connectionId]);
    expect(status[0]!.status).not.toBe('paid');
    expect(await paidTriggers()).toBe(1);
  });

  it('a webhook and a sync reporting the same order concurrently give one order and one paid trigger', async () => {
    const pending = makeShopifyOrders(1, 500, { financial: 'PENDING' })[0]!;
    shop.addOrders([pending]);
    await sync();
    shop.mutate(pending.id, (o) => markShopifyPaid(o, shop.now()));
    const body = JSON.stringify(toShopifyRestOrder(shop.orders.find((o) => o.id === pending.id)!));
    await api.orm.em.fork().nativeUpdate(ChannelConnection, { id: connectionId }, { syncedUntil: null });
    const [hook] = await Promise.all([postWebhook(body, signed(body, 'evt-paid', 'orders/paid')), sync()]);
    expect(hook.status).toBe(200);
    const rows = await em()
      .getConnection()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from order_trigger t join "order" o on o.id = t.order_id where o.connection_id = ? and o.external_id = ? and t.kind = 'order.paid'`,
        [connectionId, String(pending.id).split('/').at(-1)],
      );
    expect(rows[0]!.n).toBe(1);
    expect(await orderCount()).toBe(121);
  });

  it('webhooks for an unknown connection are 404 and for a push-only channel 400', async () => {
    const unknown = await fetch(`${api.url}/webhooks/00000000-0000-0000-0000-000000000000`, {
      method: 'POST',
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    const malformed = await fetch(`${api.url}/webhooks/not-a-uuid`, { method: 'POST', body: '{}' });
    expect(malformed.status).toBe(404);
    const e = em();
    const generic = e.create(ChannelConnection, {
      merchant: e.getReference(Merchant, (await e.findOneOrFail(ChannelConnection, { id: connectionId })).merchant.id),
      kind: 'generic',
      name: 'Push',
    });
    await e.flush();
    expect((await fetch(`${api.url}/webhooks/${generic.id}`, { method: 'POST', body: '{}' })).status).toBe(400);
  });
});
