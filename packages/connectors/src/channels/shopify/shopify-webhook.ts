import { ChannelError, type WebhookDelivery, type WebhookHeaders } from '../channel-connector.js';
import { headerDate, headerValue, verifyBase64HmacSha256 } from '../common/webhook-signature.js';
import { mapShopifyRestOrder } from './shopify-order-mapper.js';
import type { ShopifyRestOrder } from './shopify-types.js';

/** Topics whose payload is a full REST order. */
const ORDER_TOPICS = new Set([
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/partially_fulfilled',
]);

export function verifyShopifyWebhook(secret: string, rawBody: Buffer, headers: WebhookHeaders): boolean {
  return verifyBase64HmacSha256(secret, rawBody, headerValue(headers, 'x-shopify-hmac-sha256'));
}

/**
 * Maps a verified delivery. `refunds/create` carries a refund, not the order: it yields no orders
 * (Shopify also sends `orders/updated` for the refunded order, and the next sync picks it up).
 */
export function parseShopifyWebhook(rawBody: Buffer, headers: WebhookHeaders): WebhookDelivery {
  const topic = headerValue(headers, 'x-shopify-topic');
  const deliveryId = headerValue(headers, 'x-shopify-event-id') ?? headerValue(headers, 'x-shopify-webhook-id');
  const triggeredAt = headerDate(headers, 'x-shopify-triggered-at');
  if (!topic || !ORDER_TOPICS.has(topic)) return { deliveryId, triggeredAt, orders: [] };
  let payload: ShopifyRestOrder;
  try {
    payload = JSON.parse(rawBody.toString('utf8')) as ShopifyRestOrder;
  } catch {
    throw new ChannelError('Shopify webhook body is not JSON', 400, false);
  }
  if (!payload || typeof payload !== 'object' || !Array.isArray(payload.line_items)) {
    throw new ChannelError(`Shopify ${topic} webhook without an order`, 400, false);
  }
  return { deliveryId, triggeredAt, orders: [mapShopifyRestOrder(payload)] };
}
