import { signBase64HmacSha256 } from '@handoff/connectors';
import { makeShopifyOrder, toShopifyRestOrder } from '@handoff/connectors/channels/shopify/testing/fixtures';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { Merchant } from '../merchants/merchant.entity.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { ChannelConnection } from './channel-connection.entity.js';

const CLIENT_SECRET = 'shopify-app-secret';
const body = JSON.stringify(toShopifyRestOrder(makeShopifyOrder(1)));
const signedHeaders = (eventId: string, secret = CLIENT_SECRET) => ({
  'content-type': 'application/json',
  'x-shopify-topic': 'orders/updated',
  'x-shopify-event-id': eventId,
  'x-shopify-hmac-sha256': signBase64HmacSha256(secret, body),
});

interface RunView {
  trigger: string;
  status: string;
  error: string | null;
}

describe('webhooks for connections that may not import', () => {
  let api: TestApi;
  let key: string;
  let merchantId: string;
  let connectionId: string;
  const sql = async <T>(query: string, params: unknown[] = []) =>
    api.orm.em.fork().getConnection().execute<T[]>(query, params);
  const orderCount = async (id = connectionId) =>
    (await sql<{ n: number }>('select count(*)::int as n from "order" where connection_id = ?', [id]))[0]!.n;
  const post = async (id: string, headers: Record<string, string>) => {
    const res = await fetch(`${api.url}/webhooks/${id}`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const setEnabled = (enabled: boolean) =>
    api.gql(
      'mutation($id: ID!, $e: Boolean) { updateChannelConnection(id: $id, input: { enabled: $e }) { userErrors { message } } }',
      { id: connectionId, e: enabled },
      key,
    );
  const syncRuns = async () =>
    (
      await api.gql<{ channelConnection: { lastRun: RunView | null; syncRuns: { edges: { node: RunView }[] } } }>(
        'query($id: ID!) { channelConnection(id: $id) { lastRun { trigger status error } syncRuns(first: 10) { edges { node { trigger status error } } } } }',
        { id: connectionId },
        key,
      )
    ).data!.channelConnection;

  beforeAll(async () => {
    api = await startTestApi(inject('database'));
    ({ apiKey: key, merchantId } = await api.merchantWithKey('Webhook shop'));
  });
  afterAll(() => api.close());

  beforeEach(async () => {
    const em = api.orm.em.fork();
    const connection = em.create(ChannelConnection, {
      merchant: em.getReference(Merchant, merchantId),
      kind: 'shopify',
      name: 'Shop',
      settings: { shop: 'edge.myshopify.com', baseUrl: 'http://127.0.0.1:9' },
      credentialsEncrypted: api.services.connectors.seal({ accessToken: 'token', clientSecret: CLIENT_SECRET }),
    });
    await em.flush();
    connectionId = connection.id;
  });

  it('a disabled connection answers 410 Gone, imports nothing, and shows the refusal in its sync history', async () => {
    await setEnabled(false);
    const refused = await post(connectionId, signedHeaders('evt-off'));
    expect(refused.status).toBe(410);
    expect(refused.body).toMatchObject({
      error: { code: 'CONNECTION_DISABLED', message: expect.stringContaining('disabled') },
    });
    expect(await orderCount()).toBe(0);
    const view = await syncRuns();
    expect(view.lastRun).toEqual({ trigger: 'webhook', status: 'refused', error: expect.stringContaining('disabled') });
    expect(view.syncRuns.edges).toHaveLength(1);

    // The channel's retry of the same delivery after the merchant enables the connection is imported.
    await setEnabled(true);
    expect(await post(connectionId, signedHeaders('evt-off'))).toMatchObject({
      status: 200,
      body: { status: 'processed', created: 1 },
    });
    expect(await orderCount()).toBe(1);
  });

  it('an unsigned delivery to a disabled connection is 401 and leaves no line in the history', async () => {
    await setEnabled(false);
    expect((await post(connectionId, signedHeaders('evt-forged', 'not-the-secret'))).status).toBe(401);
    expect((await syncRuns()).syncRuns.edges).toHaveLength(0);
  });

  it('a deleted connection is 404 and imports nothing', async () => {
    const deleted = await api.gql<{ deleteChannelConnection: { deletedId: string } }>(
      'mutation($id: ID!) { deleteChannelConnection(id: $id) { deletedId } }',
      { id: connectionId },
      key,
    );
    expect(deleted.data?.deleteChannelConnection.deletedId).toBe(connectionId);
    expect((await post(connectionId, signedHeaders('evt-gone'))).status).toBe(404);
    expect(await orderCount()).toBe(0);
  });

  it('a connection of another kind refuses the delivery (its own signature check fails) and imports nothing', async () => {
    const em = api.orm.em.fork();
    const woo = em.create(ChannelConnection, {
      merchant: em.getReference(Merchant, merchantId),
      kind: 'woocommerce',
      name: 'Woo',
      settings: { baseUrl: 'http://127.0.0.1:9' },
      credentialsEncrypted: api.services.connectors.seal({
        consumerKey: 'ck',
        consumerSecret: 'cs',
        webhookSecret: CLIENT_SECRET,
      }),
    });
    await em.flush();
    expect((await post(woo.id, signedHeaders('evt-kind'))).status).toBe(401);
    expect(await orderCount(woo.id)).toBe(0);
  });

  it('pushes to a disabled generic connection are refused too (importOrders and CSV)', async () => {
    const created = await api.gql<{ createChannelConnection: { connection: { id: string } } }>(
      'mutation { createChannelConnection(input: { kind: "generic", name: "ERP", enabled: false }) { connection { id } } }',
      {},
      key,
    );
    const generic = created.data!.createChannelConnection.connection.id;
    const pushed = await api.gql<{ importOrders: { userErrors: { field: string[]; code: string }[] } }>(
      `mutation($c: ID!) { importOrders(connectionId: $c, orders: [{ externalId: "D-1", currency: "EUR",
         createdAt: "2026-03-01T00:00:00Z", items: [{ title: "E-book", quantity: 1, unitPrice: 100 }] }]) {
         userErrors { field code } } }`,
      { c: generic },
      key,
    );
    expect(pushed.data!.importOrders.userErrors).toEqual([{ field: ['connectionId'], code: 'BAD_USER_INPUT' }]);
    const csv = await api.gql<{ importOrdersCsv: { userErrors: { field: string[]; code: string }[] } }>(
      'mutation($c: ID!, $csv: String!) { importOrdersCsv(connectionId: $c, csv: $csv) { userErrors { field code } } }',
      {
        c: generic,
        csv: 'external_id,currency,title,quantity,unit_price,created_at\nD-2,EUR,E-book,1,1.00,2026-03-01',
      },
      key,
    );
    expect(csv.data!.importOrdersCsv.userErrors).toEqual([{ field: ['connectionId'], code: 'BAD_USER_INPUT' }]);
    expect(await orderCount(generic)).toBe(0);
  });
});
