import type { HubStatus } from '@handoff/shared';
import type { EtsyReceipt } from './etsy-types.js';

/**
 * Etsy's receipt `status` is the main signal (the API spells it in either case); `is_paid` and
 * `is_shipped` settle `open` and `paid`, and any word Etsy may add later.
 */
export function mapEtsyStatus(receipt: Pick<EtsyReceipt, 'status' | 'is_paid' | 'is_shipped'>): HubStatus {
  const paidOrShipped: HubStatus = receipt.is_shipped ? 'shipped' : 'paid';
  switch (receipt.status.trim().toLowerCase()) {
    case 'canceled':
    case 'cancelled':
      return 'cancelled';
    case 'fully refunded':
      return 'refunded';
    case 'partially refunded':
      return 'partially_refunded';
    case 'completed':
      return 'completed';
    case 'payment processing':
      return 'pending';
    case 'paid':
      return paidOrShipped;
    default: // 'open' and unknown words
      return receipt.is_paid ? paidOrShipped : 'pending';
  }
}
