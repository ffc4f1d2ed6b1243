import type { HubStatus } from '@handoff/shared';
import type { EbayOrder } from './ebay-types.js';

export interface EbayStatus {
  status: HubStatus;
  /** e.g. `PAID/NOT_STARTED/NONE_REQUESTED`: all three eBay words, for display and debugging. */
  channelStatus: string;
  /** `cancel-requested` while a buyer's cancellation is pending. */
  tags: string[];
}

/**
 * eBay splits an order's state over payment, fulfillment and cancellation. A cancellation wins (its
 * refund follows from it), then refunds, then payment, then fulfillment. eBay lists no unpaid
 * checkouts, so `PENDING`/`FAILED` are rare.
 */
export function mapEbayStatus(
  order: Pick<EbayOrder, 'orderPaymentStatus' | 'orderFulfillmentStatus' | 'cancelStatus'>,
): EbayStatus {
  const payment = order.orderPaymentStatus;
  const fulfillment = order.orderFulfillmentStatus;
  const cancelState = order.cancelStatus?.cancelState ?? 'NONE_REQUESTED';
  const channelStatus = `${payment}/${fulfillment}/${cancelState}`;
  const tags = cancelState === 'IN_PROGRESS' ? ['cancel-requested'] : [];

  if (cancelState === 'CANCELED') return { status: 'cancelled', channelStatus, tags };
  switch (payment) {
    case 'FULLY_REFUNDED':
      return { status: 'refunded', channelStatus, tags };
    case 'PARTIALLY_REFUNDED':
      return { status: 'partially_refunded', channelStatus, tags };
    case 'PAID':
      // FULFILLED means every line was shipped/handed over; IN_PROGRESS is partial, still owed to the buyer.
      return { status: fulfillment === 'FULFILLED' ? 'shipped' : 'paid', channelStatus, tags };
    default:
      return { status: 'pending', channelStatus, tags };
  }
}
