import { GraphQLError } from 'graphql';
import type { Clock } from '../clock.js';
import type { Orm } from '../db/orm.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { createLoaders } from './loaders.js';
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
): Promise<RequestContext> {
  const em = deps.orm.em.fork();
  let actor: Actor | null = null;
  if (authorization) {
    const [scheme, token] = authorization.split(' ');
    actor = scheme?.toLowerCase() === 'bearer' && token ? await deps.services.apiKeys.authenticate(em, token) : null;
    if (!actor) {
      throw new GraphQLError('The API key is invalid or revoked', {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    }
  }
  const loaders = createLoaders(em, () => actor?.merchantId ?? null);
  return { requestId, em, actor, loaders, clock: deps.clock, log, services: deps.services };
}
