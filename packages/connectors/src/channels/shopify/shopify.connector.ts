import type { NormalizedOrder } from '@handoff/shared';
import {
  ChannelError,
  type ChannelConnector,
  type ChannelConnectorOptions,
  type ListOrdersInput,
  type OrderPage,
  type WebhookDelivery,
  type WebhookHeaders,
} from '../channel-connector.js';
import { cursorDate, decodeCursor, encodeCursor } from '../common/page-cursor.js';
import { createChannelHttp, type ChannelHttp } from '../http/channel-http.js';
import { orderGid } from './shopify-ids.js';
import { mapShopifyGqlOrder } from './shopify-order-mapper.js';
import { LINE_ITEMS_QUERY, ORDERS_QUERY, SHOP_QUERY, updatedSinceFilter } from './shopify-orders-query.js';
import { shopifyPacingDelay, shopifyThrottledRetryDelay } from './shopify-throttle.js';
import type { ShopifyGqlLineItem, ShopifyGqlOrder, ShopifyGqlResponse, ShopifyPageInfo } from './shopify-types.js';
import { parseShopifyWebhook, verifyShopifyWebhook } from './shopify-webhook.js';

export const SHOPIFY_API_VERSION = '2025-01';
const CURSOR_KIND = 'shopify';

interface ShopifyCursor extends Record<string, unknown> {
  since: string | null;
  after: string | null;
}

/**
 * Shopify Admin GraphQL. credentials: `accessToken` (Admin API token), `clientSecret` (app secret,
 * signs webhooks; `webhookSecret` is accepted too). settings: `shop` (`my-store.myshopify.com`),
 * optional `baseUrl` (fakes), optional `pageSize` (default 50: 100 with nested lines passes the
 * 1,000-point cost cap only for tiny queries).
 */
export class ShopifyConnector implements ChannelConnector {
  readonly kind = 'shopify';
  private readonly http: ChannelHttp;
  private readonly endpoint: string;
  private readonly pageSize: number;

  constructor(private readonly options: ChannelConnectorOptions) {
    const base = options.settings.baseUrl ?? (options.settings.shop ? `https://${options.settings.shop}` : null);
    if (!base) throw new ChannelError('Shopify needs settings.shop (or settings.baseUrl)', null, false);
    this.endpoint = `${base.replace(/\/$/, '')}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
    this.pageSize = Math.min(250, Math.max(1, Number(options.settings.pageSize ?? 50)));
    this.http = createChannelHttp({
      fetch: options.fetch,
      outbound: options.outbound,
      sleep: options.sleep,
      now: options.now,
      throttleDelay: shopifyPacingDelay,
      retryDelay: shopifyThrottledRetryDelay,
    });
  }

  async listOrders(input: ListOrdersInput): Promise<OrderPage> {
    const state = input.cursor
      ? decodeCursor<ShopifyCursor>(CURSOR_KIND, input.cursor)
      : { since: input.since?.toISOString() ?? null, after: null };
    const data = await this.graphql<{ orders: { pageInfo: ShopifyPageInfo; nodes: ShopifyGqlOrder[] } }>(ORDERS_QUERY, {
      first: this.pageSize,
      after: state.after,
      query: updatedSinceFilter(cursorDate(state.since)),
    });
    const orders: NormalizedOrder[] = [];
    for (const node of data.orders.nodes) {
      if (node.lineItems.pageInfo.hasNextPage) node.lineItems.nodes.push(...(await this.remainingLines(node)));
      orders.push(mapShopifyGqlOrder(node));
    }
    const { hasNextPage, endCursor } = data.orders.pageInfo;
    return {
      orders,
      nextCursor: hasNextPage && endCursor ? encodeCursor(CURSOR_KIND, { since: state.since, after: endCursor }) : null,
    };
  }

  async testConnection(): Promise<void> {
    await this.graphql(SHOP_QUERY, {});
  }

  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): boolean {
    return verifyShopifyWebhook(this.webhookSecret(), rawBody, headers);
  }

  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): WebhookDelivery {
    return parseShopifyWebhook(rawBody, headers);
  }

  private webhookSecret(): string {
    return this.options.credentials.clientSecret ?? this.options.credentials.webhookSecret ?? '';
  }

  /** Orders with more lines than the page query asks for: fetch the rest per order. */
  private async remainingLines(node: ShopifyGqlOrder): Promise<ShopifyGqlLineItem[]> {
    const lines: ShopifyGqlLineItem[] = [];
    let after = node.lineItems.pageInfo.endCursor;
    for (;;) {
      const data = await this.graphql<{
        order: { lineItems: { pageInfo: ShopifyPageInfo; nodes: ShopifyGqlLineItem[] } } | null;
      }>(LINE_ITEMS_QUERY, { id: orderGid(node.id), after });
      if (!data.order) break;
      lines.push(...data.order.lineItems.nodes);
      if (!data.order.lineItems.pageInfo.hasNextPage) break;
      after = data.order.lineItems.pageInfo.endCursor;
    }
    return lines;
  }

  private async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const response = await this.http.request<ShopifyGqlResponse<T>>(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'x-shopify-access-token': this.options.credentials.accessToken ?? '',
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = response.body;
    if (body?.errors?.length) {
      const message = body.errors.map((e) => e.message).join('; ');
      throw new ChannelError(`Shopify GraphQL: ${message}`, response.status, false);
    }
    if (!body?.data) throw new ChannelError('Shopify GraphQL: empty response', response.status, true);
    return body.data;
  }
}
