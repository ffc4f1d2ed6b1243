import type { HubStatus } from '@handoff/shared';

/**
 * Orders v0 `OrderStatus` and 2026-01-01 `fulfillmentStatus` name the same states (`PartiallyShipped`
 * vs `PARTIALLY_SHIPPED`), so both are compared in one spelling. Amazon authorises payment when the
 * order leaves Pending; refunds are not part of the Orders API (they live in the Finances API).
 */
const STATUS: Record<string, HubStatus> = {
  PENDING: 'pending',
  PENDINGAVAILABILITY: 'pending',
  UNSHIPPED: 'paid',
  PARTIALLYSHIPPED: 'paid',
  INVOICEUNCONFIRMED: 'paid',
  SHIPPED: 'shipped',
  CANCELED: 'cancelled',
  CANCELLED: 'cancelled',
  UNFULFILLABLE: 'cancelled',
};

export function mapAmazonStatus(status: string): HubStatus {
  return STATUS[status.replace(/_/g, '').toUpperCase()] ?? 'pending';
}
