import { describe, expect, it } from 'vitest';
import { Keyring } from './keyring.js';

describe('keyring', () => {
  const keyring = new Keyring('a-master-secret-of-enough-length-123');

  it('round-trips encrypted JSON and never stores the plain text', () => {
    const sealed = keyring.encryptJson({ accessToken: 'shpat_secret' });
    expect(sealed).not.toContain('shpat_secret');
    expect(keyring.decryptJson(sealed)).toEqual({ accessToken: 'shpat_secret' });
  });

  it('uses a fresh IV each time', () => {
    expect(keyring.encrypt('x')).not.toBe(keyring.encrypt('x'));
  });

  it('detects tampering and a wrong key', () => {
    const sealed = keyring.encrypt('hello');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => keyring.decrypt(parts.join('.'))).toThrow();
    expect(() => new Keyring('another-master-secret-of-enough-len').decrypt(sealed)).toThrow();
    expect(() => keyring.decrypt('garbage')).toThrow('Unreadable');
  });

  it('signs deterministically, per key', () => {
    expect(keyring.sign('abc')).toBe(keyring.sign('abc'));
    expect(keyring.sign('abc')).not.toBe(new Keyring('another-master-secret-of-enough-len').sign('abc'));
  });
});
