import { ChannelError, type WebhookDelivery, type WebhookHeaders } from '../channel-connector.js';
import { headerValue, verifyBase64HmacSha256 } from '../common/webhook-signature.js';
import { mapWooOrder, wooGmtDate } from './woocommerce-order-mapper.js';
import type { WooOrder } from './woocommerce-types.js';

const ORDER_TOPICS = new Set(['order.created', 'order.updated', 'order.restored']);

export function verifyWooWebhook(secret: string, rawBody: Buffer, headers: WebhookHeaders): boolean {
  return verifyBase64HmacSha256(secret, rawBody, headerValue(headers, 'x-wc-webhook-signature'));
}

/**
 * Order topics carry the full order (refunds only as totals, so lines show no refunded quantity
 * until the next sync). The creation ping is form-encoded `webhook_id=N` and `order.deleted` holds
 * only the id: both yield no orders. WooCommerce sends no event time; the order's modification
 * time stands in for it.
 */
export function parseWooWebhook(rawBody: Buffer, headers: WebhookHeaders): WebhookDelivery {
  const deliveryId = headerValue(headers, 'x-wc-webhook-delivery-id');
  const topic = headerValue(headers, 'x-wc-webhook-topic');
  if (!topic || !ORDER_TOPICS.has(topic)) return { deliveryId, triggeredAt: null, orders: [] };
  let payload: WooOrder;
  try {
    payload = JSON.parse(rawBody.toString('utf8')) as WooOrder;
  } catch {
    throw new ChannelError('WooCommerce webhook body is not JSON', 400, false);
  }
  if (!payload || !Array.isArray(payload.line_items)) {
    throw new ChannelError(`WooCommerce ${topic} webhook without an order`, 400, false);
  }
  return { deliveryId, triggeredAt: wooGmtDate(payload.date_modified_gmt), orders: [mapWooOrder(payload)] };
}
