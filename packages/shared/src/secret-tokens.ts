import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random token of `bytes` bytes (default 24 = 192 bits), URL-safe base64. */
export function randomToken(bytes = 24): string {
  if (bytes < 16) throw new RangeError('tokens need at least 128 bits');
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 hex of a high-entropy secret: what the database stores for lookup. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time equality of two strings of any length (hashes first, so length leaks nothing). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
