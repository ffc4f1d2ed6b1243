import { isIP } from 'node:net';
import { safeEqual } from '@handoff/shared';
import type { Config } from '../config.js';
import type { Actor, ClientInfo } from '../graphql/request-context.js';
import type { Keyring } from '../security/keyring.js';

/** What the keyring signs to derive the portal's token when PORTAL_TOKEN is unset. */
export const PORTAL_TOKEN_LABEL = 'portal-service-token';
/** Longest user agent kept from X-Handoff-Client-Ua. */
const MAX_USER_AGENT = 500;

/** The portal server's bearer token: PORTAL_TOKEN, or derived from HANDOFF_SECRET. */
export function portalServiceToken(config: Pick<Config, 'PORTAL_TOKEN'>, keyring: Keyring): string {
  return config.PORTAL_TOKEN ?? keyring.sign(PORTAL_TOKEN_LABEL);
}

/**
 * Recognises the portal server. Its actor holds only the `portal` scope and no merchant, so every
 * merchant field stays FORBIDDEN to it (graphql/auth-checker.ts).
 */
export class PortalAuth {
  constructor(private readonly token: string) {}

  /** Constant time in the token's content. */
  matches(bearer: string): boolean {
    return bearer.length <= 200 && safeEqual(bearer, this.token);
  }

  actor(): Actor {
    return { merchantId: '', apiKeyId: 'portal', name: 'portal', scopes: new Set(['portal']), portal: true };
  }
}

export interface ClientSource {
  /** The connection's address as express sees it. */
  ip: string | undefined;
  header(name: string): string | undefined;
}

/**
 * The buyer behind a request. The portal server forwards the buyer's IP and user agent in
 * X-Handoff-Client-Ip / -Ua; anyone else's headers are ignored and the connection counts.
 */
export function clientInfo(source: ClientSource, trusted: boolean): ClientInfo {
  const own = { ip: source.ip ?? null, userAgent: source.header('user-agent')?.slice(0, MAX_USER_AGENT) ?? null };
  if (!trusted) return own;
  const ip = source.header('x-handoff-client-ip')?.trim();
  const userAgent = source.header('x-handoff-client-ua');
  return {
    ip: ip && isIP(ip) ? ip : own.ip,
    userAgent: userAgent !== undefined ? userAgent.slice(0, MAX_USER_AGENT) : null,
  };
}
