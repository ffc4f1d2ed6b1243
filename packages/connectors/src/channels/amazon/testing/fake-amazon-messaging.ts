import type { FakeResponse, RecordedRequest } from '../../http/testing/fake-http-server.js';
import type { AmazonFixtureOrder } from './fixtures.js';
import { spError } from './fake-amazon-errors.js';

/** One createDigitalAccessKey the fake accepted. */
export interface FakeAmazonMessage {
  orderId: string;
  /** The `marketplaceIds` query value as sent. */
  marketplaceIds: string;
  text: string;
  /** The `x-amz-access-token` it was sent with. */
  token: string;
}

/** The model's CreateDigitalAccessKeyRequest.text: minLength 1, maxLength 400, no HTML, no email addresses. */
const MAX_TEXT = 400;
const HTML_TAG = /<\/?[a-z][^>]*>/i;
const EMAIL = /[\w.+-]+@[\w-]+(\.[\w-]+)+/;

/**
 * POST /messaging/v1/orders/{amazonOrderId}/messages/digitalAccessKey?marketplaceIds=…, as the
 * Messaging v1 model documents it: exactly one marketplace (the order's), a JSON body, 201 `{}`.
 */
export function createDigitalAccessKey(
  orderId: string,
  request: RecordedRequest,
  orders: readonly AmazonFixtureOrder[],
  messages: FakeAmazonMessage[],
): FakeResponse {
  const marketplaceIds = request.query.getAll('marketplaceIds').join(',');
  if (!marketplaceIds || marketplaceIds.includes(','))
    return spError(400, 'InvalidInput', 'marketplaceIds must name exactly one marketplace');
  const found = orders.find((o) => o.order.AmazonOrderId === orderId);
  if (!found) return spError(404, 'NotFound', `Order ${orderId} not found`);
  if (found.order.MarketplaceId !== marketplaceIds)
    return spError(400, 'InvalidInput', `Order ${orderId} was not placed in marketplace ${marketplaceIds}`);
  if (!String(request.headers['content-type']).startsWith('application/json'))
    return spError(415, 'UnsupportedMediaType', 'The request payload is in an unsupported format.');
  let text: unknown;
  try {
    text = (JSON.parse(request.body) as { text?: unknown }).text;
  } catch {
    return spError(400, 'InvalidInput', 'Request body cannot be parsed.');
  }
  if (typeof text !== 'string' || text.length < 1 || text.length > MAX_TEXT)
    return spError(400, 'InvalidInput', `text must be 1 to ${MAX_TEXT} characters`);
  if (HTML_TAG.test(text)) return spError(400, 'InvalidInput', 'text must not contain HTML');
  if (EMAIL.test(text)) return spError(400, 'InvalidInput', 'text must not contain email addresses');
  messages.push({ orderId, marketplaceIds, text, token: String(request.headers['x-amz-access-token']) });
  return { status: 201, body: {} };
}
