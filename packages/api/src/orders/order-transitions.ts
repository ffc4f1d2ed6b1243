import { isPaidStatus, type HubStatus } from '@handoff/shared';
import type { TriggerKind } from './order-trigger.entity.js';

export interface TriggerDraft {
  kind: TriggerKind;
  /** Once-per-order kinds use a fixed key; the unique index drops repeats. */
  dedupKey: string;
  toStatus?: HubStatus;
  data?: Record<string, unknown>;
}

/**
 * Which triggers a status arriving for an order raises. `from` is null for a new order.
 * "Became paid" fires for any paid-like status (an order may arrive already shipped or completed),
 * never for one that arrives cancelled or refunded.
 */
export function statusTriggers(from: HubStatus | null, to: HubStatus, changeId: string): TriggerDraft[] {
  const triggers: TriggerDraft[] = [];
  if (from === null) triggers.push({ kind: 'order.imported', dedupKey: 'imported', toStatus: to });
  else if (from !== to)
    triggers.push({
      kind: 'order.status_changed',
      dedupKey: `status_changed:${changeId}`,
      toStatus: to,
      data: { from },
    });
  if (from === to) return triggers;
  if (isPaidStatus(to)) triggers.push({ kind: 'order.paid', dedupKey: 'paid', toStatus: to });
  if (to === 'cancelled') triggers.push({ kind: 'order.cancelled', dedupKey: 'cancelled', toStatus: to });
  if (to === 'refunded') triggers.push({ kind: 'order.refunded', dedupKey: 'refunded', toStatus: to });
  return triggers;
}

export interface LineState {
  externalId: string;
  refundedQuantity: number;
  cancelled: boolean;
}

/** A line refunded further, or cancelled, since the hub last saw it. */
export function lineTriggers(before: LineState | undefined, after: LineState): TriggerDraft[] {
  const refundedBefore = before?.refundedQuantity ?? 0;
  const cancelledBefore = before?.cancelled ?? false;
  if (after.refundedQuantity <= refundedBefore && (after.cancelled === cancelledBefore || !after.cancelled)) return [];
  return [
    {
      kind: 'order.line_refunded',
      dedupKey: `line_refunded:${after.externalId}:${after.refundedQuantity}:${after.cancelled}`,
      data: { itemExternalId: after.externalId, refundedQuantity: after.refundedQuantity, cancelled: after.cancelled },
    },
  ];
}
