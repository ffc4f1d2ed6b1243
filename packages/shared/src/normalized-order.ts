import type { HubStatus } from './order-status.js';

/** Money is always integer minor units (cents) plus an ISO-4217 currency code. */
export interface Money {
  amount: number;
  currency: string;
}

export interface NormalizedBuyer {
  email: string | null;
  name: string | null;
  /** BCP-47 language tag, e.g. `de` or `zh-CN`, when the channel knows it. */
  language: string | null;
  /** ISO-3166 alpha-2 country code. */
  country: string | null;
}

export interface NormalizedOrderItem {
  /** The channel's id of the line, stable across syncs. */
  externalId: string;
  sku: string | null;
  title: string;
  quantity: number;
  /** Unit price in minor units, tax included as the channel reports it. */
  unitPrice: number;
  /** Tax of the whole line in minor units. */
  tax: number;
  /** Quantity refunded or cancelled on this line (0 when none). */
  refundedQuantity: number;
  cancelled: boolean;
}

/** An order as every channel connector hands it to the hub. */
export interface NormalizedOrder {
  externalId: string;
  /** Human-facing order number as the channel shows it. */
  number: string;
  status: HubStatus;
  /** The channel's own status word(s), kept for display and debugging. */
  channelStatus: string;
  buyer: NormalizedBuyer;
  currency: string;
  /** Grand total in minor units. */
  total: number;
  taxTotal: number;
  items: NormalizedOrderItem[];
  createdAt: Date;
  /** Last modification at the channel: the hub ignores data older than what it holds. */
  updatedAt: Date;
  paidAt: Date | null;
  tags: string[];
  /** The provider's payload, untouched. */
  raw: unknown;
}
