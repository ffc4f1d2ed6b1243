import type { NormalizedOrder } from '@handoff/shared';
import {
  ChannelError,
  type ChannelConnector,
  type ChannelConnectorOptions,
  type ListOrdersInput,
  type OrderPage,
} from '../channel-connector.js';
import { createChannelHttp } from '../http/channel-http.js';
import { mapAmazonOrder2026 } from './amazon-2026-mapper.js';
import { amazonTokenSession, LWA_DEFAULT_URL } from './amazon-auth.js';
import { AmazonClient } from './amazon-client.js';
import { decodeAmazonCursor, encodeAmazonCursor } from './amazon-cursor.js';
import { amazonMessageText } from './amazon-message-text.js';
import { mapAmazonOrderV0 } from './amazon-v0-mapper.js';
import type {
  AmazonOrderItemV0,
  GetOrderItemsResponseV0,
  GetOrderResponseV0,
  GetOrdersResponseV0,
  SearchOrdersResponse,
} from './amazon-types.js';

export const AMAZON_DEFAULT_BASE_URL = 'https://sellingpartnerapi-na.amazon.com';
export type AmazonOrdersApi = 'v0' | '2026-01-01';
/** The Orders API keeps two years; a first import asks for (almost) all of it. */
const HISTORY_MS = 729 * 24 * 3600 * 1000;
/** searchOrders datasets the mapping reads; buyer email needs BUYER. */
const DEFAULT_INCLUDED_DATA = 'BUYER,PROCEEDS,FULFILLMENT,CANCELLATION';

/**
 * Amazon SP-API orders. Credentials: clientId, clientSecret, refreshToken (+ accessToken,
 * accessTokenExpiresAt). Settings: marketplaceIds (comma-separated, required), baseUrl (regional
 * endpoint), lwaUrl, ordersApi ('v0' default | '2026-01-01'), pageSize (≤100), includedData
 * (2026-01-01 only). sendMessage uses the Messaging API's createDigitalAccessKey (the buyer gets it
 * in Buyer-Seller Messaging; the app needs the Buyer Communication role); with several marketplaceIds
 * it first asks Orders v0 getOrder for the order's marketplace, whichever ordersApi lists orders.
 */
export class AmazonConnector implements ChannelConnector {
  readonly kind = 'amazon';
  private readonly client: AmazonClient;
  private readonly api: AmazonOrdersApi;
  private readonly marketplaceIds: string;
  private readonly pageSize: number;
  private readonly includedData: string;
  private readonly now: () => Date;

  constructor(options: ChannelConnectorOptions) {
    const { settings } = options;
    this.now = options.now ?? (() => new Date());
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.marketplaceIds = (settings.marketplaceIds ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .join(',');
    if (!this.marketplaceIds) throw new ChannelError('Amazon: settings.marketplaceIds is required', null, false);
    const api = settings.ordersApi ?? 'v0';
    if (api !== 'v0' && api !== '2026-01-01') throw new ChannelError(`Amazon: unknown ordersApi "${api}"`, null, false);
    this.api = api;
    this.pageSize = Math.min(100, Math.max(1, Number(settings.pageSize ?? 100) || 100));
    this.includedData = settings.includedData ?? DEFAULT_INCLUDED_DATA;
    const http = createChannelHttp({
      fetch: options.fetch,
      outbound: options.outbound,
      sleep,
      now: this.now,
      maxRetries: 5,
      baseDelayMs: 2000,
      // searchOrders restores one request every ~3 minutes; a 429 may need that long.
      maxDelayMs: 180_000,
    });
    const auth = amazonTokenSession(http, (settings.lwaUrl ?? LWA_DEFAULT_URL).replace(/\/+$/, ''), options, this.now);
    const baseUrl = (settings.baseUrl ?? AMAZON_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.client = new AmazonClient(http, auth, baseUrl, () => this.now().getTime(), sleep);
  }

  listOrders(input: ListOrdersInput): Promise<OrderPage> {
    return this.api === 'v0' ? this.listV0(input) : this.list2026(input);
  }

  async testConnection(): Promise<void> {
    const after = new Date(this.now().getTime() - 24 * 3600 * 1000).toISOString();
    if (this.api === 'v0') {
      await this.client.get(
        'getOrders',
        '/orders/v0/orders',
        new URLSearchParams({ MarketplaceIds: this.marketplaceIds, LastUpdatedAfter: after, MaxResultsPerPage: '1' }),
      );
    } else {
      await this.client.get(
        'searchOrders',
        '/orders/2026-01-01/orders',
        new URLSearchParams({ marketplaceIds: this.marketplaceIds, lastUpdatedAfter: after, maxResultsPerPage: '1' }),
      );
    }
  }

  /**
   * Sends the buyer the download message with createDigitalAccessKey (text cleaned to what Amazon
   * accepts, see amazonMessageText). Amazon returns no message id: the id is ours, order + time.
   */
  async sendMessage(order: { externalId: string }, text: string): Promise<string> {
    const body = { text: amazonMessageText(text) };
    const orderId = order.externalId;
    const marketplaceId = await this.marketplaceOf(orderId);
    await this.client.post(
      'createDigitalAccessKey',
      `/messaging/v1/orders/${encodeURIComponent(orderId)}/messages/digitalAccessKey`,
      new URLSearchParams({ marketplaceIds: marketplaceId }),
      body,
    );
    return `amazon-message:${orderId}:${this.now().toISOString()}`;
  }

  /** Messaging takes exactly one marketplace: the order's, looked up when several are configured. */
  private async marketplaceOf(orderId: string): Promise<string> {
    const configured = this.marketplaceIds.split(',');
    if (configured.length === 1) return configured[0]!;
    const body = await this.client.get<GetOrderResponseV0>(
      'getOrder',
      `/orders/v0/orders/${encodeURIComponent(orderId)}`,
      new URLSearchParams(),
    );
    const marketplaceId = body.payload?.MarketplaceId;
    if (!marketplaceId) throw new ChannelError(`Amazon: order ${orderId} has no marketplace`, null, false);
    return marketplaceId;
  }

  private since(since: Date | null): string {
    return (since ?? new Date(this.now().getTime() - HISTORY_MS)).toISOString();
  }

  private async listV0({ since, cursor }: ListOrdersInput): Promise<OrderPage> {
    const query = new URLSearchParams({ MarketplaceIds: this.marketplaceIds });
    if (cursor) query.set('NextToken', decodeAmazonCursor(cursor, 'v0').token);
    else {
      query.set('LastUpdatedAfter', this.since(since));
      query.set('MaxResultsPerPage', String(this.pageSize));
    }
    const body = await this.client.get<GetOrdersResponseV0>('getOrders', '/orders/v0/orders', query);
    const orders: NormalizedOrder[] = [];
    for (const order of body.payload?.Orders ?? []) {
      orders.push(mapAmazonOrderV0(order, await this.orderItemsV0(order.AmazonOrderId)));
    }
    const next = body.payload?.NextToken;
    return { orders, nextCursor: next ? encodeAmazonCursor({ api: 'v0', token: next }) : null };
  }

  private async orderItemsV0(orderId: string): Promise<AmazonOrderItemV0[]> {
    const items: AmazonOrderItemV0[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams(token ? { NextToken: token } : {});
      const body = await this.client.get<GetOrderItemsResponseV0>(
        'getOrderItems',
        `/orders/v0/orders/${encodeURIComponent(orderId)}/orderItems`,
        query,
      );
      items.push(...(body.payload?.OrderItems ?? []));
      token = body.payload?.NextToken || undefined;
    } while (token);
    return items;
  }

  private async list2026({ since, cursor }: ListOrdersInput): Promise<OrderPage> {
    const position = cursor ? decodeAmazonCursor(cursor, '2026-01-01') : null;
    const after = position?.api === '2026-01-01' ? position.after : this.since(since);
    const query = new URLSearchParams({
      marketplaceIds: this.marketplaceIds,
      lastUpdatedAfter: after,
      maxResultsPerPage: String(this.pageSize),
      includedData: this.includedData,
    });
    if (position) query.set('paginationToken', position.token);
    const body = await this.client.get<SearchOrdersResponse>('searchOrders', '/orders/2026-01-01/orders', query);
    const next = body.pagination?.nextToken;
    return {
      orders: (body.orders ?? []).map(mapAmazonOrder2026),
      nextCursor: next ? encodeAmazonCursor({ api: '2026-01-01', token: next, after }) : null,
    };
  }
}

export function createAmazonConnector(options: ChannelConnectorOptions): AmazonConnector {
  return new AmazonConnector(options);
}
