import { randomBytes } from 'node:crypto';
import { safeEqual } from '@handoff/shared';
import type { Keyring } from '../security/keyring.js';

/**
 * `/d/:token` tokens: `base64url(payload).base64url(hmac)`, the payload a fixed 37 bytes
 * (version, grant id, random token id, expiry in Unix seconds), the HMAC-SHA256 over a
 * domain-separated string. Every token has exactly TOKEN_LENGTH characters, so anything else is
 * refused before any crypto or database work.
 */
const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 16 + 4;
const PAYLOAD_CHARS = 50;
const MAC_CHARS = 43;
export const TOKEN_LENGTH = PAYLOAD_CHARS + 1 + MAC_CHARS;
const SHAPE = /^[A-Za-z0-9_-]{50}\.[A-Za-z0-9_-]{43}$/;
const DOMAIN = 'handoff/download-token/v1.';

export interface TokenClaims {
  grantId: string;
  /** base64url of 16 random bytes; names the counted use a resumed Range request refers to. */
  tokenId: string;
  expiresAt: Date;
}

export type TokenCheck =
  /** Not a token at all (length, alphabet, encoding): nothing in it can be trusted or used. */
  | { kind: 'malformed' }
  /** Well-formed but the signature does not match: tampered or foreign. Claims are only hints. */
  | { kind: 'forged'; claims: TokenClaims }
  | { kind: 'valid'; claims: TokenClaims };

export function mintToken(keyring: Keyring, grantId: string, expiresAt: Date): { token: string; tokenId: string } {
  const payload = Buffer.alloc(PAYLOAD_BYTES);
  payload.writeUInt8(VERSION, 0);
  Buffer.from(grantId.replace(/-/g, ''), 'hex').copy(payload, 1);
  const id = randomBytes(16);
  id.copy(payload, 17);
  payload.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 33);
  const body = payload.toString('base64url');
  return { token: `${body}.${keyring.sign(DOMAIN + body)}`, tokenId: id.toString('base64url') };
}

export function checkToken(keyring: Keyring, token: unknown): TokenCheck {
  if (typeof token !== 'string' || token.length !== TOKEN_LENGTH || !SHAPE.test(token)) return { kind: 'malformed' };
  const body = token.slice(0, PAYLOAD_CHARS);
  const payload = Buffer.from(body, 'base64url');
  // Canonical encoding only: no second spelling of the same payload.
  if (payload.length !== PAYLOAD_BYTES || payload.toString('base64url') !== body) return { kind: 'malformed' };
  const macOk = safeEqual(keyring.sign(DOMAIN + body), token.slice(PAYLOAD_CHARS + 1));
  if (payload.readUInt8(0) !== VERSION) return { kind: 'malformed' };
  const hex = payload.subarray(1, 17).toString('hex');
  const claims: TokenClaims = {
    grantId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    tokenId: payload.subarray(17, 33).toString('base64url'),
    expiresAt: new Date(payload.readUInt32BE(33) * 1000),
  };
  return macOk ? { kind: 'valid', claims } : { kind: 'forged', claims };
}
