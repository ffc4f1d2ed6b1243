import type { ChannelHttpResponse } from '../http/channel-http.js';

/** Etsy's per-second window; a 429 carries no headers, so the next window is the best guess. */
const WINDOW_MS = 1000;

/**
 * Paces requests by `x-remaining-this-second`: when at most one call is left in the window, the next
 * request waits for a new window instead of spending the last slot (other processes share the key).
 */
export function etsyThrottleDelay(response: ChannelHttpResponse): number | null {
  if (response.status === 429) return WINDOW_MS;
  const remaining = response.headers.get('x-remaining-this-second');
  if (remaining === null || remaining.trim() === '') return null;
  return Number(remaining) <= 1 ? WINDOW_MS : null;
}

/** True when the 24-hour quota is spent: further calls would only collect 429s. */
export function etsyDailyQuotaSpent(response: ChannelHttpResponse): boolean {
  const remaining = response.headers.get('x-remaining-today');
  return remaining !== null && remaining.trim() !== '' && Number(remaining) <= 0;
}
