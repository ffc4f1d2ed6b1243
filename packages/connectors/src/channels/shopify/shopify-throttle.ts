import type { ChannelHttpResponse } from '../http/channel-http.js';
import type { ShopifyGqlResponse } from './shopify-types.js';

/** Shopify's GraphQL bucket refills at `restoreRate` points per second. */
function waitForPoints(needed: number, available: number, restoreRate: number): number {
  if (available >= needed) return 0;
  return Math.ceil(((needed - available) / Math.max(restoreRate, 1)) * 1000);
}

/** THROTTLED comes back as HTTP 200: wait until the bucket holds the requested cost, then repeat. */
export function shopifyThrottledRetryDelay(response: ChannelHttpResponse): number | null {
  const body = response.body as ShopifyGqlResponse<unknown> | null;
  const throttled = body?.errors?.some((e) => e.extensions?.code === 'THROTTLED');
  if (!throttled) return null;
  const cost = body?.extensions?.cost;
  if (!cost) return 1000;
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  return Math.max(waitForPoints(cost.requestedQueryCost, currentlyAvailable, restoreRate), 100);
}

/**
 * After a successful call, pace the next one: if the bucket no longer holds what this query asked
 * for, the next page (same query) would be throttled, so wait for the refill first.
 */
export function shopifyPacingDelay(response: ChannelHttpResponse): number | null {
  const cost = (response.body as ShopifyGqlResponse<unknown> | null)?.extensions?.cost;
  if (!cost) return null;
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  const wait = waitForPoints(cost.requestedQueryCost, currentlyAvailable, restoreRate);
  return wait > 0 ? wait : null;
}
