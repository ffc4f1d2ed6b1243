import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Keyring } from '../security/keyring.js';

/** How long a merchant has to consent at Dropbox or Google before the state expires. */
export const OAUTH_STATE_TTL_MS = 15 * 60_000;
const PURPOSE = 'storage-oauth-state:v1:';
const MAX_STATE_LENGTH = 1024;

export interface OAuthStatePayload {
  merchantId: string;
  connectionId: string;
  /** Random, single-use: its hash is stored on the pending connection and consumed on callback. */
  nonce: string;
  expiresAt: number;
}

export function newNonce(): string {
  return randomBytes(24).toString('base64url');
}

export function hashNonce(nonce: string): string {
  return createHash('sha256').update(nonce).digest('base64url');
}

/** `<base64url JSON>.<HMAC>`: binds merchant, pending connection, nonce and expiry. */
export function signState(keyring: Keyring, payload: OAuthStatePayload): string {
  const body = Buffer.from(
    JSON.stringify({ m: payload.merchantId, c: payload.connectionId, n: payload.nonce, e: payload.expiresAt }),
  ).toString('base64url');
  return `${body}.${keyring.sign(PURPOSE + body)}`;
}

/**
 * The payload of a state we signed and that has not expired, or null. Never throws: junk, a
 * tampered body or signature, or a wrong length all come back as null.
 */
export function verifyState(keyring: Keyring, state: unknown, now: Date): OAuthStatePayload | null {
  if (typeof state !== 'string' || state.length > MAX_STATE_LENGTH) return null;
  const dot = state.indexOf('.');
  if (dot <= 0) return null;
  const body = state.slice(0, dot);
  const given = Buffer.from(state.slice(dot + 1));
  const expected = Buffer.from(keyring.sign(PURPOSE + body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const p = parsed as Record<string, unknown>;
  if (typeof p.m !== 'string' || typeof p.c !== 'string' || typeof p.n !== 'string' || typeof p.e !== 'number') {
    return null;
  }
  if (now.getTime() >= p.e) return null;
  return { merchantId: p.m, connectionId: p.c, nonce: p.n, expiresAt: p.e };
}
