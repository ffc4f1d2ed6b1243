/** Hub statuses every channel's own statuses are mapped to. */
export const HUB_STATUSES = [
  'pending',
  'paid',
  'shipped',
  'completed',
  'cancelled',
  'refunded',
  'partially_refunded',
] as const;
export type HubStatus = (typeof HUB_STATUSES)[number];

/** Statuses that mean the buyer has paid (an order may skip `paid` and arrive `completed`). */
export const PAID_STATUSES: ReadonlySet<HubStatus> = new Set(['paid', 'shipped', 'completed', 'partially_refunded']);

export function isPaidStatus(status: HubStatus): boolean {
  return PAID_STATUSES.has(status);
}
