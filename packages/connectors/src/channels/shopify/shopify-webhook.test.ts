import { describe, expect, it } from 'vitest';
import { signBase64HmacSha256 } from '../common/webhook-signature.js';
import { mapShopifyGqlOrder } from './shopify-order-mapper.js';
import { ShopifyConnector } from './shopify.connector.js';
import { makeShopifyOrder, refundShopifyLine, toShopifyRestOrder } from './testing/fixtures.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';

const SECRET = 'shpss_app_secret';
const connector = new ShopifyConnector({
  outbound: LOOPBACK_FAKES,
  credentials: { accessToken: 't', clientSecret: SECRET },
  settings: { shop: 'x.myshopify.com' },
});

function delivery(topic: string, payload: unknown, secret = SECRET) {
  const rawBody = Buffer.from(JSON.stringify(payload));
  return {
    rawBody,
    headers: {
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': signBase64HmacSha256(secret, rawBody),
      'x-shopify-shop-domain': 'x.myshopify.com',
      'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
      'x-shopify-triggered-at': '2025-01-06T10:15:00.000Z',
    } as Record<string, string>,
  };
}

describe('Shopify webhooks', () => {
  const order = makeShopifyOrder(7, { quantity: 3 });
  refundShopifyLine(order, 0, 1);
  const rest = toShopifyRestOrder(order);

  it('accepts the app-secret signature over the raw body', () => {
    const { rawBody, headers } = delivery('orders/updated', rest);
    expect(connector.verifyWebhook(rawBody, headers)).toBe(true);
  });

  it('rejects a tampered body, a wrong secret and a missing header', () => {
    const { rawBody, headers } = delivery('orders/updated', rest);
    const tampered = Buffer.from(rawBody.toString().replace('"total_price":"', '"total_price":"1'));
    expect(connector.verifyWebhook(tampered, headers)).toBe(false);
    expect(connector.verifyWebhook(rawBody, delivery('orders/updated', rest, 'other-secret').headers)).toBe(false);
    const { 'x-shopify-hmac-sha256': _, ...unsigned } = headers;
    expect(connector.verifyWebhook(rawBody, unsigned)).toBe(false);
  });

  it('maps an orders/* REST payload exactly like the GraphQL sync does', () => {
    const { rawBody, headers } = delivery('orders/updated', rest);
    const parsed = connector.parseWebhook(rawBody, headers);
    const synced = mapShopifyGqlOrder(order);

    expect(parsed.deliveryId).toBe('98880550-7158-44d4-b7cd-2c97c8a091b5');
    expect(parsed.triggeredAt).toEqual(new Date('2025-01-06T10:15:00.000Z'));
    expect(parsed.orders).toHaveLength(1);
    const { raw: _a, paidAt: _b, ...fromHook } = parsed.orders[0]!;
    const { raw: _c, paidAt: _d, ...fromSync } = synced;
    expect(fromHook).toEqual(fromSync);
    expect(fromHook.status).toBe('partially_refunded');
    expect(fromHook.items[0]!.refundedQuantity).toBe(1);
  });

  it('maps cancellations and falls back to the webhook id for dedupe', () => {
    const cancelled = { ...rest, cancelled_at: '2025-01-07T00:00:00Z', financial_status: 'voided' };
    const { rawBody, headers } = delivery('orders/cancelled', cancelled);
    delete headers['x-shopify-event-id'];
    const parsed = connector.parseWebhook(rawBody, headers);
    expect(parsed.orders[0]!.status).toBe('cancelled');
    expect(parsed.deliveryId).toBe('b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
  });

  it('yields no orders for refunds/create and unknown topics', () => {
    const refund = { id: 1, order_id: 5100000007, refund_line_items: [{ line_item_id: 510000000700, quantity: 1 }] };
    expect(connector.parseWebhook(...args(delivery('refunds/create', refund))).orders).toEqual([]);
    expect(connector.parseWebhook(...args(delivery('products/update', { id: 1 }))).orders).toEqual([]);
  });

  it('throws on an orders topic whose body is not an order', () => {
    expect(() => connector.parseWebhook(...args(delivery('orders/paid', { id: 1 })))).toThrow(/without an order/);
  });
});

function args(d: { rawBody: Buffer; headers: Record<string, string> }): [Buffer, Record<string, string>] {
  return [d.rawBody, d.headers];
}
