import type { AuthChecker } from 'type-graphql';
import { forbidden, unauthenticated, type Scope } from '@handoff/shared';
import type { RequestContext } from './request-context.js';

/** A key is required, and it must hold every named scope; the portal token only reaches portal fields. */
export function requireScopes(context: RequestContext, scopes: readonly Scope[]): void {
  if (!context.actor) throw unauthenticated();
  if (context.actor.portal && !scopes.includes('portal'))
    throw forbidden('The portal token can only use portal fields');
  const missing = scopes.filter((s) => !context.actor!.scopes.has(s));
  if (missing.length) throw forbidden(`This API key lacks the scope ${missing.join(', ')}`);
}

/** `@Authorized('orders:read')` on root fields (see area-scope.ts for the fields nested under them). */
export const authChecker: AuthChecker<RequestContext, Scope> = ({ context }, scopes) => {
  requireScopes(context, scopes);
  return true;
};
