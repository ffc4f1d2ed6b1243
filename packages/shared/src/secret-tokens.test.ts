import { describe, expect, it } from 'vitest';
import { hashSecret, randomToken, safeEqual } from './secret-tokens.js';

describe('secret tokens', () => {
  it('makes distinct tokens of at least 128 bits', () => {
    const a = randomToken();
    expect(Buffer.from(a, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(a).not.toBe(randomToken());
    expect(() => randomToken(8)).toThrow(RangeError);
  });
  it('hashes deterministically and compares in constant time across lengths', () => {
    expect(hashSecret('x')).toBe(hashSecret('x'));
    expect(hashSecret('x')).toHaveLength(64);
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
