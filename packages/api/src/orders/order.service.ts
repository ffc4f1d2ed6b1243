import type { HubStatus } from '@handoff/shared';
import { escapeLike } from '../db/escape-like.js';
import { keysetPage } from '../db/keyset-page.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { Order } from './order.entity.js';

export interface OrderFilter {
  statuses?: HubStatus[] | null;
  connectionId?: string | null;
  paidFrom?: Date | null;
  paidTo?: Date | null;
  /** Matches the order number or the buyer's email, case-insensitively. */
  search?: string | null;
}

export class OrderService {
  async list(ctx: MerchantContext, filter: OrderFilter, first: number, after?: string | null) {
    const where: Record<string, unknown> = { merchant: ctx.actor.merchantId };
    if (filter.statuses?.length) where.status = { $in: filter.statuses };
    if (filter.connectionId) {
      // An unknown or foreign connection simply matches nothing.
      where.connection = isUuid(filter.connectionId) ? filter.connectionId : null;
    }
    if (filter.paidFrom || filter.paidTo) {
      where.paidAt = {
        ...(filter.paidFrom && { $gte: filter.paidFrom }),
        ...(filter.paidTo && { $lt: filter.paidTo }),
      };
    }
    if (filter.search?.trim()) {
      const like = `%${escapeLike(filter.search.trim())}%`;
      where.$or = [{ number: { $ilike: like } }, { buyerEmail: { $ilike: like } }];
    }
    return keysetPage(ctx.em, Order, where, { key: 'placedAt', direction: 'desc', kind: 'date' }, first, after);
  }

  async get(ctx: MerchantContext, id: string): Promise<Order | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(Order, { id, merchant: ctx.actor.merchantId });
  }
}
