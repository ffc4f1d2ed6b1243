import { describe, expect, it } from 'vitest';
import { isPortalCodeShape } from './portal-code.js';

describe('isPortalCodeShape', () => {
  it('accepts URL-safe base64 of 20 to 64 characters', () => {
    expect(isPortalCodeShape('a'.repeat(20))).toBe(true);
    expect(isPortalCodeShape('Zm9vYmFy-_0123456789AbCdEf')).toBe(true);
    expect(isPortalCodeShape('x'.repeat(64))).toBe(true);
  });

  it('rejects codes that are too short or too long', () => {
    expect(isPortalCodeShape('a'.repeat(19))).toBe(false);
    expect(isPortalCodeShape('a'.repeat(65))).toBe(false);
    expect(isPortalCodeShape('')).toBe(false);
  });

  it('rejects characters outside the URL-safe alphabet, padding included', () => {
    for (const bad of ['+', '/', '=', '!', ' ', '.', '%20', 'é', '\n']) {
      expect(isPortalCodeShape(`abcdefghijklmnopqrstu${bad}`), JSON.stringify(bad)).toBe(false);
    }
  });
});
