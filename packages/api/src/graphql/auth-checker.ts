import type { AuthChecker } from 'type-graphql';
import { forbidden, unauthenticated, type Scope } from '@handoff/shared';
import type { RequestContext } from './request-context.js';

/** `@Authorized('orders:read')`: a key is required, and it must hold every named scope. */
export const authChecker: AuthChecker<RequestContext, Scope> = ({ context }, scopes) => {
  if (!context.actor) throw unauthenticated();
  if (context.actor.portal && !scopes.includes('portal'))
    throw forbidden('The portal token can only use portal fields');
  const missing = scopes.filter((s) => !context.actor!.scopes.has(s));
  if (missing.length) throw forbidden(`This API key lacks the scope ${missing.join(', ')}`);
  return true;
};
