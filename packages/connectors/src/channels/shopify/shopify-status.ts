import type { HubStatus } from '@handoff/shared';

export interface ShopifyStatusInput {
  /** `displayFinancialStatus` (GraphQL) or upper-cased REST `financial_status`. */
  financial: string | null;
  /** `displayFulfillmentStatus` (GraphQL) or REST `fulfillment_status` translated to the GraphQL enum. */
  fulfillment: string | null;
  cancelled: boolean;
  closed: boolean;
}

/**
 * Cancellation wins over money (a cancelled order must lose its downloads even if the refund is
 * still pending); then refunds; then paid orders move on with fulfilment (archived = completed).
 * AUTHORIZED, PENDING, EXPIRED and VOIDED are all "not paid yet".
 */
export function mapShopifyStatus(input: ShopifyStatusInput): HubStatus {
  if (input.cancelled) return 'cancelled';
  switch (input.financial) {
    case 'REFUNDED':
      return 'refunded';
    case 'PARTIALLY_REFUNDED':
      return 'partially_refunded';
    case 'PAID':
    case 'PARTIALLY_PAID':
      if (input.fulfillment === 'FULFILLED') return input.closed ? 'completed' : 'shipped';
      if (input.fulfillment === 'PARTIALLY_FULFILLED') return 'shipped';
      return 'paid';
    default:
      return 'pending';
  }
}

/** REST `fulfillment_status` (null, fulfilled, partial, restocked) in GraphQL enum spelling. */
export function restFulfillmentToEnum(value: string | null): string {
  switch (value) {
    case 'fulfilled':
      return 'FULFILLED';
    case 'partial':
      return 'PARTIALLY_FULFILLED';
    case 'restocked':
      return 'RESTOCKED';
    default:
      return 'UNFULFILLED';
  }
}

export function describeShopifyStatus(input: ShopifyStatusInput): string {
  const parts = [input.financial ?? 'NONE', input.fulfillment ?? 'UNFULFILLED'];
  if (input.cancelled) parts.push('CANCELLED');
  return parts.join('/');
}
