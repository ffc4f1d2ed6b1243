import type { EntityManager } from '@mikro-orm/postgresql';
import { OrderItem } from '../orders/order-item.entity.js';
import type { DispatchedTrigger } from '../orders/order-trigger.repository.js';
import type { TriggerListener } from '../orders/trigger-dispatcher.js';
import type { GrantService } from './grant.service.js';

const REVOKING = new Set(['order.refunded', 'order.cancelled', 'order.line_refunded']);

/**
 * Revokes downloads when money goes back: all of an order's grants on `order.refunded` /
 * `order.cancelled`, one line's grants on `order.line_refunded` once the refunded quantity covers the
 * line (or it is cancelled). A partial refund leaves other lines alone. Idempotent: only grants not
 * yet revoked are touched.
 */
export class RefundRevocationListener implements TriggerListener {
  readonly name = 'downloads.revoke-on-refund';

  constructor(private readonly grants: GrantService) {}

  async handle(em: EntityManager, triggers: DispatchedTrigger[]): Promise<void> {
    for (const trigger of triggers) if (REVOKING.has(trigger.kind)) await this.handleOne(em, trigger);
  }

  private async handleOne(em: EntityManager, trigger: DispatchedTrigger): Promise<void> {
    const order = { id: trigger.orderId, merchantId: trigger.merchantId };
    if (trigger.kind === 'order.refunded' || trigger.kind === 'order.cancelled') {
      const reason = trigger.kind === 'order.refunded' ? 'refund' : 'cancellation';
      await this.grants.revokeForRefund(em, order, reason);
      return;
    }
    if (trigger.kind !== 'order.line_refunded') return;
    const externalId = trigger.data?.itemExternalId;
    if (typeof externalId !== 'string') return;
    const item = await em.findOne(OrderItem, { order: order.id, externalId }, { refresh: true });
    if (!item) return;
    const refunded = Math.max(Number(trigger.data?.refundedQuantity ?? 0), item.refundedQuantity);
    const cancelled = trigger.data?.cancelled === true || item.cancelled;
    if (!cancelled && refunded < item.quantity) return;
    await this.grants.revokeForRefund(em, order, cancelled ? 'cancellation' : 'refund', item.id, {
      orderItemId: item.id,
      itemExternalId: externalId,
    });
  }
}
