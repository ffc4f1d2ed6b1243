import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ShopwareConnector } from './shopware.connector.js';
import { makeShopwareOrder } from './testing/fixtures.js';
import { LOOPBACK_FAKES } from '../../testing/outbound.js';

const SECRET = 'app-shop-secret';
const connector = new ShopwareConnector({
  outbound: LOOPBACK_FAKES,
  credentials: { clientId: 'id', clientSecret: 's', appSecret: SECRET },
  settings: { baseUrl: 'https://shop.example.com' },
});

function signed(
  payload: unknown,
  secret = SECRET,
  header = 'shopware-shop-signature',
): [Buffer, Record<string, string>] {
  const raw = Buffer.from(JSON.stringify(payload));
  return [raw, { [header]: createHmac('sha256', secret).update(raw).digest('hex') }];
}

const placed = {
  data: { event: 'checkout.order.placed', payload: { order: makeShopwareOrder(3) } },
  source: { url: 'https://shop.example.com', shopId: 'abc', appVersion: '1.0.0', eventId: '0190f2c5b1a47e2c9c3b' },
  timestamp: 1736154000,
};

describe('Shopware app webhooks', () => {
  it('verifies the hex signature, also the previous one during rotation', () => {
    expect(connector.verifyWebhook(...signed(placed))).toBe(true);
    expect(connector.verifyWebhook(...signed(placed, SECRET, 'shopware-shop-signature-previous'))).toBe(true);
  });

  it('rejects tampering, a wrong secret and a missing header', () => {
    const [raw, headers] = signed(placed);
    expect(connector.verifyWebhook(Buffer.from(raw.toString().replace('10003', '10004')), headers)).toBe(false);
    expect(connector.verifyWebhook(...signed(placed, 'other'))).toBe(false);
    expect(connector.verifyWebhook(raw, {})).toBe(false);
  });

  it('maps checkout.order.placed and ignores id-only entity events', () => {
    const parsed = connector.parseWebhook(...signed(placed));
    expect(parsed.deliveryId).toBe('0190f2c5b1a47e2c9c3b');
    expect(parsed.triggeredAt).toEqual(new Date('2025-01-06T09:00:00Z'));
    expect(parsed.orders.map((o) => [o.number, o.status])).toEqual([['10003', 'paid']]);
    const written = {
      data: { event: 'order.written', payload: [{ entity: 'order', operation: 'update', primaryKey: 'x' }] },
      source: {},
    };
    expect(connector.parseWebhook(...signed(written)).orders).toEqual([]);
  });
});
