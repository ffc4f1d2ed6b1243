import type { EntityManager } from '@mikro-orm/postgresql';
import { MERCHANT_SCOPES } from '@handoff/shared';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { createLoaders } from './loaders.js';
import type { MerchantContext } from './request-context.js';

/** A context for work Handoff does on a merchant's behalf (demo seed, operator CLI), named in history. */
export function systemContext(
  em: EntityManager,
  deps: { services: Services; clock: Clock; log: Logger },
  merchantId: string,
  actorName: string,
): MerchantContext {
  return {
    requestId: `system:${actorName}`,
    em,
    actor: { merchantId, apiKeyId: 'system', name: actorName, scopes: new Set(MERCHANT_SCOPES) },
    loaders: createLoaders(em, () => merchantId),
    clock: deps.clock,
    log: deps.log,
    services: deps.services,
  };
}
