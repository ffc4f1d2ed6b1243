import { GraphQLError } from 'graphql';
import type { Clock } from '../clock.js';
import type { Orm } from '../db/orm.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { createLoaders } from './loaders.js';
import { clientInfo, type ClientSource } from '../portal/portal-auth.js';
import type { Actor, RequestContext } from './request-context.js';

export interface ContextDeps {
  orm: Orm;
  services: Services;
  clock: Clock;
}

/** One em fork, one set of loaders and one resolved actor per request. */
export async function buildRequestContext(
  deps: ContextDeps,
  requestId: string,
  authorization: string | undefined,
  log: Logger,
  client?: ClientSource,
): Promise<RequestContext> {
  const em = deps.orm.em.fork();
  let actor: Actor | null = null;
  if (authorization) {
    const [scheme, token] = authorization.split(' ');
    const bearer = scheme?.toLowerCase() === 'bearer' && token ? token : null;
    if (bearer && deps.services.portalAuth.matches(bearer)) actor = deps.services.portalAuth.actor();
    else actor = bearer ? await deps.services.apiKeys.authenticate(em, bearer) : null;
    if (!actor) {
      throw new GraphQLError('The API key is invalid or revoked', {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    }
  }
  const loaders = createLoaders(em, () => actor?.merchantId || null);
  const ctx: RequestContext = { requestId, em, actor, loaders, clock: deps.clock, log, services: deps.services };
  if (client) ctx.client = clientInfo(client, Boolean(actor?.portal));
  return ctx;
}
