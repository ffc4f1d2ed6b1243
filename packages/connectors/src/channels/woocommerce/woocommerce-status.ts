import type { HubStatus } from '@handoff/shared';

/**
 * `completed` counts as paid even with `date_paid: null`: offline methods (BACS, cheque, COD) are
 * completed by hand without WooCommerce ever recording a payment date. Partial refunds keep the
 * order's status and only show in `refunds[]`, so they are decided by the refunded amount.
 */
export function mapWooStatus(status: string, refundedMinor: number, totalMinor: number): HubStatus {
  switch (status) {
    case 'processing':
    case 'completed':
      if (refundedMinor > 0) return refundedMinor >= totalMinor ? 'refunded' : 'partially_refunded';
      return status === 'completed' ? 'completed' : 'paid';
    case 'refunded':
      return 'refunded';
    case 'cancelled':
    case 'trash':
      return 'cancelled';
    default:
      // pending, on-hold (awaiting BACS/cheque), failed, checkout-draft and plugin statuses
      return 'pending';
  }
}
