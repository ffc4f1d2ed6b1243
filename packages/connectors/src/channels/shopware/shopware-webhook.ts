import { createHmac, timingSafeEqual } from 'node:crypto';
import { ChannelError, type WebhookDelivery, type WebhookHeaders } from '../channel-connector.js';
import { headerValue } from '../common/webhook-signature.js';
import { mapShopwareOrder } from './shopware-order-mapper.js';
import type { ShopwareOrder } from './shopware-types.js';

function hexEquals(expected: Buffer, given: string | null): boolean {
  if (!given || !/^[0-9a-f]+$/i.test(given)) return false;
  const bytes = Buffer.from(given, 'hex');
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

/**
 * App-system webhooks are signed: hex HMAC-SHA256 of the raw body with the shop's app secret in
 * `shopware-shop-signature` (plus `-previous` while a secret is being rotated). Plain Admin-API
 * webhooks are unsigned: without an app secret nothing verifies, and the hub must use a secret URL.
 */
export function verifyShopwareWebhook(secret: string, rawBody: Buffer, headers: WebhookHeaders): boolean {
  if (!secret) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return (
    hexEquals(expected, headerValue(headers, 'shopware-shop-signature')) ||
    hexEquals(expected, headerValue(headers, 'shopware-shop-signature-previous'))
  );
}

interface ShopwareWebhookBody {
  data?: { event?: string; payload?: unknown };
  source?: { eventId?: string; shopId?: string };
  timestamp?: number;
}

/**
 * `checkout.order.placed` carries the whole order; entity-written events carry ids only and yield
 * no orders (the next sync brings the change).
 */
export function parseShopwareWebhook(rawBody: Buffer, _headers: WebhookHeaders): WebhookDelivery {
  let body: ShopwareWebhookBody;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as ShopwareWebhookBody;
  } catch {
    throw new ChannelError('Shopware webhook body is not JSON', 400, false);
  }
  const deliveryId = body.source?.eventId ?? null;
  const triggeredAt = typeof body.timestamp === 'number' ? new Date(body.timestamp * 1000) : null;
  const payload = body.data?.payload as { order?: ShopwareOrder } | undefined;
  const order = payload && !Array.isArray(payload) ? payload.order : undefined;
  return { deliveryId, triggeredAt, orders: order?.id ? [mapShopwareOrder(order)] : [] };
}
