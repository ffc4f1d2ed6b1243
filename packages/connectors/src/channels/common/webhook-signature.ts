import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookHeaders } from '../channel-connector.js';

/** Header lookup that ignores case (Node lower-cases, tests and proxies may not) and takes the first value. */
export function headerValue(headers: WebhookHeaders, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    return first ?? null;
  }
  return null;
}

/** Constant-time check of a base64 HMAC-SHA256 over the raw body bytes (Shopify, WooCommerce). */
export function verifyBase64HmacSha256(secret: string, rawBody: Buffer, signature: string | null): boolean {
  if (!secret || !signature) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(signature.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signBase64HmacSha256(secret: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/** Parses a date header; null when absent or unreadable. */
export function headerDate(headers: WebhookHeaders, name: string): Date | null {
  const value = headerValue(headers, name);
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
