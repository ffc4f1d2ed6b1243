import { keysetPage } from '../db/keyset-page.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { DownloadEvent, type DownloadOutcome } from './download-event.entity.js';

export interface DownloadEventFilter {
  orderId?: string | null;
  grantId?: string | null;
  outcome?: DownloadOutcome | null;
  from?: Date | null;
  to?: Date | null;
}

const NO_MATCH = '00000000-0000-0000-0000-000000000000';

/** The merchant's download log, newest first. */
export class DownloadEventService {
  async list(ctx: MerchantContext, filter: DownloadEventFilter, first: number, after?: string | null) {
    const where: Record<string, unknown> = { merchant: ctx.actor.merchantId };
    if (filter.orderId) where.order = isUuid(filter.orderId) ? filter.orderId : NO_MATCH;
    if (filter.grantId) where.grant = isUuid(filter.grantId) ? filter.grantId : NO_MATCH;
    if (filter.outcome) where.outcome = filter.outcome;
    if (filter.from || filter.to) {
      where.at = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    }
    return keysetPage(ctx.em, DownloadEvent, where, { key: 'at', direction: 'desc', kind: 'date' }, first, after);
  }
}
