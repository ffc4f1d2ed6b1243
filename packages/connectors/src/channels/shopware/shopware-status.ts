import type { HubStatus } from '@handoff/shared';
import type { ShopwareOrder, ShopwareTransaction } from './shopware-types.js';

/** An order can carry several payment attempts; the newest one that was not cancelled counts. */
export function decisiveTransaction(transactions: ShopwareTransaction[] | null): ShopwareTransaction | null {
  const live = (transactions ?? []).filter((t) => t.stateMachineState?.technicalName !== 'cancelled');
  live.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return live[0] ?? null;
}

export function mapShopwareStatus(order: ShopwareOrder): HubStatus {
  if (order.stateMachineState?.technicalName === 'cancelled') return 'cancelled';
  const payment = decisiveTransaction(order.transactions)?.stateMachineState?.technicalName;
  switch (payment) {
    case 'paid':
    case 'paid_partially':
      return order.stateMachineState?.technicalName === 'completed' ? 'completed' : 'paid';
    case 'refunded':
    case 'chargeback':
      return 'refunded';
    case 'refunded_partially':
      return 'partially_refunded';
    default:
      // open, authorized, in_progress, reminded, unconfirmed, failed, or no transaction yet
      return 'pending';
  }
}

export function describeShopwareStatus(order: ShopwareOrder): string {
  const payment = decisiveTransaction(order.transactions)?.stateMachineState?.technicalName ?? 'none';
  return `${order.stateMachineState?.technicalName ?? 'unknown'}/${payment}`;
}
