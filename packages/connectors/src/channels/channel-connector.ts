import type { OutboundPolicy } from '../net/outbound-policy.js';
import type { NormalizedOrder } from '@handoff/shared';

/** One page of orders from a channel, oldest modification first where the channel allows it. */
export interface OrderPage {
  orders: NormalizedOrder[];
  /** Opaque cursor for the next page; null when this page was the last. */
  nextCursor: string | null;
}

export interface ListOrdersInput {
  /** Only orders modified at or after this instant (incremental sync); null = everything. */
  since: Date | null;
  /** Cursor from the previous page of the same run; null for the first page. */
  cursor: string | null;
}

export interface WebhookHeaders {
  [name: string]: string | string[] | undefined;
}

/** What a verified webhook delivery carries. */
export interface WebhookDelivery {
  /** Provider's delivery/event id, used to ignore repeated deliveries. */
  deliveryId: string | null;
  /** When the provider says the event happened; stale retries are detected with it. */
  triggeredAt: Date | null;
  /** Orders in the payload, normalized; empty for topics the hub ignores. */
  orders: NormalizedOrder[];
}

/** Credentials and settings the hub stores (encrypted) for one connection. */
export type ConnectionCredentials = Record<string, string>;

/**
 * The one interface every sales channel implements. Connectors do HTTP only: no database, no GraphQL.
 * They honour the provider's pagination and rate limits themselves.
 */
export interface ChannelConnector {
  readonly kind: string;
  listOrders(input: ListOrdersInput): Promise<OrderPage>;
  /** One cheap authenticated call, to tell the merchant the credentials work. */
  testConnection(): Promise<void>;
  /** Checks the signature over the raw body; returns false on any mismatch. */
  verifyWebhook?(rawBody: Buffer, headers: WebhookHeaders): boolean;
  parseWebhook?(rawBody: Buffer, headers: WebhookHeaders): WebhookDelivery;
  /** Messages the buyer through the channel, where the channel allows sellers to. */
  sendMessage?(order: { externalId: string }, text: string): Promise<string>;
}

/** Raised for a channel failure; `retryable` tells the sync engine whether to try again later. */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

export const CHANNEL_KINDS = ['shopify', 'woocommerce', 'amazon', 'ebay', 'etsy', 'shopware', 'generic'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** What the hub hands a connector when it builds one for a connection. */
export interface ChannelConnectorOptions {
  /** Decrypted secrets (tokens, keys). */
  credentials: ConnectionCredentials;
  /** Non-secret settings: shop domain, marketplace id, `baseUrl` override (tests point it at a fake). */
  settings: Record<string, string>;
  /** Called after the connector refreshed an access token, so the hub can store the new credentials. */
  onCredentialsChanged?: (next: ConnectionCredentials) => Promise<void>;
  /** Waits between retries; tests inject a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** Test seam: replaces the network call (the outbound checks still run). */
  fetch?: typeof fetch;
  /** Where calls may go; default strict (https, public addresses only). */
  outbound?: OutboundPolicy;
  now?: () => Date;
}
