import { describe, expect, it } from 'vitest';
import { signBase64HmacSha256 } from '../common/webhook-signature.js';
import { WooCommerceConnector } from './woocommerce.connector.js';
import { makeWooOrder } from './testing/fixtures.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';

const SECRET = 'wc-webhook-secret';
const connector = new WooCommerceConnector({
  outbound: LOOPBACK_FAKES,
  credentials: { consumerKey: 'ck', consumerSecret: 'cs', webhookSecret: SECRET },
  settings: { baseUrl: 'https://shop.example.com' },
});

function delivery(topic: string, body: string, secret = SECRET): [Buffer, Record<string, string>] {
  const raw = Buffer.from(body);
  return [
    raw,
    {
      'x-wc-webhook-source': 'https://shop.example.com/',
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': topic.split('.')[1] ?? '',
      'x-wc-webhook-signature': signBase64HmacSha256(secret, raw),
      'x-wc-webhook-id': '12',
      'x-wc-webhook-delivery-id': '8f1c5e0e3c4a',
    },
  ];
}

describe('WooCommerce webhooks', () => {
  const order = makeWooOrder(3, { status: 'completed', datePaid: null });
  const body = JSON.stringify(order);

  it('verifies the signature and rejects tampering, a wrong secret and a missing header', () => {
    const [raw, headers] = delivery('order.updated', body);
    expect(connector.verifyWebhook(raw, headers)).toBe(true);
    expect(connector.verifyWebhook(Buffer.from(body.replace('"completed"', '"refunded"')), headers)).toBe(false);
    expect(connector.verifyWebhook(...delivery('order.updated', body, 'other'))).toBe(false);
    const { 'x-wc-webhook-signature': _, ...unsigned } = headers;
    expect(connector.verifyWebhook(raw, unsigned)).toBe(false);
  });

  it('maps an order.updated payload and takes the delivery id', () => {
    const parsed = connector.parseWebhook(...delivery('order.updated', body));
    expect(parsed.deliveryId).toBe('8f1c5e0e3c4a');
    expect(parsed.triggeredAt).toEqual(new Date('2025-01-06T09:03:00Z'));
    expect(parsed.orders).toHaveLength(1);
    expect(parsed.orders[0]).toMatchObject({ externalId: '703', status: 'completed', total: 1079 });
  });

  it('ignores the creation ping and order.deleted', () => {
    const ping = delivery('action.woocommerce_webhook_ping', 'webhook_id=12');
    expect(connector.verifyWebhook(...ping)).toBe(true);
    expect(connector.parseWebhook(...ping).orders).toEqual([]);
    expect(connector.parseWebhook(...delivery('order.deleted', '{"id":703}')).orders).toEqual([]);
  });
});
