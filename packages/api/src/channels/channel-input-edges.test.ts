import { signBase64HmacSha256 } from '@handoff/connectors';
import { startFakeShopify, type FakeShopify } from '@handoff/connectors/channels/shopify/testing/fake-shopify-server';
import type { ShopifyGqlOrder } from '@handoff/connectors/channels/shopify/shopify-types';
import { makeShopifyOrders, toShopifyRestOrder } from '@handoff/connectors/channels/shopify/testing/fixtures';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { Merchant } from '../merchants/merchant.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { ChannelConnection } from './channel-connection.entity.js';
import { SyncRun } from './sync-run.entity.js';

const CLIENT_SECRET = 'shopify-app-secret';

/** A provider's order carrying text PostgreSQL refuses: NUL bytes and an unpaired surrogate. */
const withBadText = (o: ShopifyGqlOrder) => {
  o.customer = { ...o.customer!, firstName: 'Ma\u0000ria', lastName: 'Nul\uD800' };
};
/** A provider's order whose total is beyond the integer columns (minor units). */
const withHugeTotal = (o: ShopifyGqlOrder) => {
  o.totalPriceSet = { ...o.totalPriceSet, shopMoney: { ...o.totalPriceSet.shopMoney, amount: '99999999999.00' } };
};

describe('orders from a channel with text or amounts the database cannot hold', () => {
  let api: TestApi;
  let shop: FakeShopify;
  let connectionId: string;
  const em = () => api.orm.em.fork();
  const orders = () =>
    em()
      .getConnection()
      .execute<{ external_id: string; buyer_name: string | null }[]>(
        'select external_id, buyer_name from "order" where connection_id = ? order by external_id',
        [connectionId],
      );
  const shopifyId = (o: ShopifyGqlOrder) => String(o.id).split('/').at(-1)!;

  async function postWebhook(order: ShopifyGqlOrder, eventId: string) {
    const body = JSON.stringify(toShopifyRestOrder(order));
    const res = await fetch(`${api.url}/webhooks/${connectionId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/updated',
        'x-shopify-event-id': eventId,
        'x-shopify-hmac-sha256': signBase64HmacSha256(CLIENT_SECRET, body),
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    api = await startTestApi(inject('database'), { connectorOverrides: { sleep: async () => {} } });
  });
  afterAll(() => api.close());

  beforeEach(async () => {
    await shop?.close();
    shop = await startFakeShopify({ orders: makeShopifyOrders(3) });
    const e = em();
    const connection = e.create(ChannelConnection, {
      merchant: e.create(Merchant, { name: 'Edge shop' }),
      kind: 'shopify',
      name: 'Fake Shopify',
      settings: { shop: shop.shop, baseUrl: shop.url },
      credentialsEncrypted: api.services.connectors.seal({
        accessToken: shop.accessToken,
        clientSecret: CLIENT_SECRET,
      }),
    });
    await e.flush();
    connectionId = connection.id;
  });

  it('a sync stores bad text cleaned, refuses only the order with the huge total, and notes it on the run', async () => {
    const [clean, badText, huge] = shop.orders;
    shop.mutate(badText!.id, withBadText);
    shop.mutate(huge!.id, withHugeTotal);
    const outcome = await api.services.sync.run(em(), connectionId, 'manual');
    expect(outcome).toMatchObject({ status: 'succeeded', counts: { created: 2 } });
    const held = await orders();
    expect(held.map((o) => o.external_id).sort()).toEqual([shopifyId(clean!), shopifyId(badText!)].sort());
    expect(held.find((o) => o.external_id === shopifyId(badText!))!.buyer_name).toBe('Maria Nul\uFFFD');
    const run = await em().findOneOrFail(SyncRun, { id: outcome!.runId });
    expect(run.error).toContain(shopifyId(huge!));
    expect(run.error).toContain('beyond the storable range');
  });

  it('a webhook with bad text imports the order cleaned; one with a huge total is refused by id, not a 500', async () => {
    const [first, second] = shop.orders;
    const cleaned = await postWebhook(shop.mutate(first!.id, withBadText), 'evt-text');
    expect(cleaned).toMatchObject({ status: 200, body: { status: 'processed', created: 1 } });
    const refused = await postWebhook(shop.mutate(second!.id, withHugeTotal), 'evt-huge');
    expect(refused).toMatchObject({
      status: 200,
      body: { status: 'processed', created: 0, refused: [{ externalId: shopifyId(second!) }] },
    });
    expect((await orders()).map((o) => o.external_id)).toEqual([shopifyId(first!)]);
  });
});
