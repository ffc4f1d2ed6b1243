import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '@handoff/shared';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import type { Loaders } from './loaders.js';

/** Who is calling: resolved from the API key once per request. */
export interface Actor {
  merchantId: string;
  apiKeyId: string;
  /** Shown in order history ("edited by …"). */
  name: string;
  scopes: ReadonlySet<Scope>;
  /** The portal server's token: no merchant, only the `portal` scope (portal/portal-auth.ts). */
  portal?: boolean;
}

/** The buyer's address and user agent (forwarded by the portal server) or the connection's own. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** What every service call receives first: one em fork and one set of loaders per request or job. */
export interface RequestContext {
  requestId: string;
  em: EntityManager;
  actor: Actor | null;
  loaders: Loaders;
  clock: Clock;
  log: Logger;
  services: Services;
  /** Set for HTTP requests. */
  client?: ClientInfo;
}

/** A context whose caller is known; services that need a merchant take this. */
export type MerchantContext = RequestContext & { actor: Actor };

/** Narrows to a known caller; resolvers behind @Authorized always have one. */
export function merchantContext(ctx: RequestContext): MerchantContext {
  if (!ctx.actor) throw new Error('merchantContext used without an authenticated actor');
  return ctx as MerchantContext;
}
