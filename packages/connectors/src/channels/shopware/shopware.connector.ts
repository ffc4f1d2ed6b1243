import {
  ChannelError,
  type ChannelConnector,
  type ChannelConnectorOptions,
  type ListOrdersInput,
  type OrderPage,
  type WebhookDelivery,
  type WebhookHeaders,
} from '../channel-connector.js';
import type { TokenSession } from '../common/token-session.js';
import { cursorDate, decodeCursor, encodeCursor } from '../common/page-cursor.js';
import { createChannelHttp, type ChannelHttp, type ChannelHttpResponse } from '../http/channel-http.js';
import { orderCriteria } from './shopware-criteria.js';
import { flattenJsonApi, isJsonApiDocument } from './shopware-json-api.js';
import { mapShopwareOrder } from './shopware-order-mapper.js';
import { shopwareTokenSession } from './shopware-token.js';
import type { ShopwareOrder, ShopwareSearchResult } from './shopware-types.js';
import { parseShopwareWebhook, verifyShopwareWebhook } from './shopware-webhook.js';

const CURSOR_KIND = 'shopware';
const PAGE_SIZE = 100;

interface ShopwareCursor extends Record<string, unknown> {
  since: string | null;
  page: number;
}

/**
 * Shopware 6 Admin API. credentials: `clientId`, `clientSecret` (integration), optional stored
 * `accessToken` + `accessTokenExpiresAt`, optional `appSecret` (app-system webhooks).
 * settings: `baseUrl` (shop URL).
 */
export class ShopwareConnector implements ChannelConnector {
  readonly kind = 'shopware';
  private readonly http: ChannelHttp;
  private readonly baseUrl: string;
  private readonly tokens: TokenSession;

  constructor(private readonly options: ChannelConnectorOptions) {
    const base = options.settings.baseUrl;
    if (!base) throw new ChannelError('Shopware needs settings.baseUrl (the shop URL)', null, false);
    this.baseUrl = base.replace(/\/$/, '');
    this.http = createChannelHttp({
      fetch: options.fetch,
      outbound: options.outbound,
      sleep: options.sleep,
      now: options.now,
    });
    this.tokens = shopwareTokenSession(this.http, this.baseUrl, options);
  }

  async listOrders(input: ListOrdersInput): Promise<OrderPage> {
    const state: ShopwareCursor = input.cursor
      ? decodeCursor<ShopwareCursor>(CURSOR_KIND, input.cursor)
      : { since: input.since?.toISOString() ?? null, page: 1 };
    const response = await this.authorized<unknown>(
      '/api/search/order',
      orderCriteria(state.page, PAGE_SIZE, cursorDate(state.since)),
    );
    const result = this.searchResult(response.body);
    const orders = result.data.map(mapShopwareOrder);
    const more = Number.isFinite(result.total)
      ? state.page * PAGE_SIZE < result.total
      : result.data.length === PAGE_SIZE;
    return {
      orders,
      nextCursor: more ? encodeCursor(CURSOR_KIND, { since: state.since, page: state.page + 1 }) : null,
    };
  }

  async testConnection(): Promise<void> {
    await this.authorized('/api/search/order', { limit: 1, 'total-count-mode': 0 });
  }

  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): boolean {
    return verifyShopwareWebhook(this.options.credentials.appSecret ?? '', rawBody, headers);
  }

  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): WebhookDelivery {
    return parseShopwareWebhook(rawBody, headers);
  }

  private searchResult(body: unknown): ShopwareSearchResult {
    if (isJsonApiDocument(body)) {
      const flat = flattenJsonApi(body as Parameters<typeof flattenJsonApi>[0]);
      return { total: flat.total, data: flat.data as unknown as ShopwareOrder[] };
    }
    const plain = body as Partial<ShopwareSearchResult> | null;
    if (!plain || !Array.isArray(plain.data))
      throw new ChannelError('Shopware search answered without data', null, true);
    return { total: typeof plain.total === 'number' ? plain.total : Number.NaN, data: plain.data };
  }

  /** POSTs with a Bearer token (refreshed once if Shopware rejects it). */
  private authorized<T>(path: string, body: unknown): Promise<ChannelHttpResponse<T>> {
    return this.tokens.authorized((token) =>
      this.http.request<T>(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  }
}
