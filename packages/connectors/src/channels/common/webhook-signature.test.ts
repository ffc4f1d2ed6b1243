import { describe, expect, it } from 'vitest';
import { headerValue, signBase64HmacSha256, verifyBase64HmacSha256 } from './webhook-signature.js';

describe('webhook signature helpers', () => {
  const body = Buffer.from('{"id":1}');
  it('accepts the right signature and rejects others', () => {
    const sig = signBase64HmacSha256('s3cret', body);
    expect(verifyBase64HmacSha256('s3cret', body, sig)).toBe(true);
    expect(verifyBase64HmacSha256('other', body, sig)).toBe(false);
    expect(verifyBase64HmacSha256('s3cret', Buffer.from('{"id":2}'), sig)).toBe(false);
    expect(verifyBase64HmacSha256('s3cret', body, null)).toBe(false);
    expect(verifyBase64HmacSha256('s3cret', body, 'short')).toBe(false);
    expect(verifyBase64HmacSha256('', body, sig)).toBe(false);
  });
  it('reads headers case-insensitively and takes the first of repeated ones', () => {
    expect(headerValue({ 'X-Shopify-Topic': 'orders/paid' }, 'x-shopify-topic')).toBe('orders/paid');
    expect(headerValue({ 'x-a': ['1', '2'] }, 'X-A')).toBe('1');
    expect(headerValue({}, 'x-a')).toBeNull();
  });
});
