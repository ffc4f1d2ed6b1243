import type { ChannelConnector, ChannelConnectorOptions, ListOrdersInput, OrderPage } from '../channel-connector.js';
import type { TokenSession } from '../common/token-session.js';
import { createChannelHttp, type ChannelHttp } from '../http/channel-http.js';
import { ebayTokenSession } from './ebay-auth.js';
import { decodeEbayCursor, encodeEbayCursor, type EbayCursor } from './ebay-cursor.js';
import { mapEbayOrder } from './ebay-order-mapper.js';
import type { EbayOrderSearchPagedCollection } from './ebay-types.js';

export const EBAY_DEFAULT_BASE_URL = 'https://api.ebay.com';
/** getOrders' maximum page size. */
const MAX_LIMIT = 200;
/** getOrders returns nothing older than two years; without `since` that is the whole history. */
const HISTORY_MS = 730 * 24 * 3600 * 1000;

/**
 * eBay Sell Fulfillment API. Credentials: clientId, clientSecret, refreshToken (+ accessToken,
 * accessTokenExpiresAt kept up to date). Settings: baseUrl, pageSize (≤200), scopes.
 */
export class EbayConnector implements ChannelConnector {
  readonly kind = 'ebay';
  private readonly http: ChannelHttp;
  private readonly auth: TokenSession;
  private readonly baseUrl: string;
  private readonly now: () => Date;
  private readonly limit: number;

  constructor(options: ChannelConnectorOptions) {
    this.now = options.now ?? (() => new Date());
    this.baseUrl = (options.settings.baseUrl ?? EBAY_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.limit = Math.min(MAX_LIMIT, Math.max(1, Number(options.settings.pageSize ?? MAX_LIMIT) || MAX_LIMIT));
    this.http = createChannelHttp({
      fetch: options.fetch,
      outbound: options.outbound,
      sleep: options.sleep,
      now: this.now,
      maxRetries: 5,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
    });
    this.auth = ebayTokenSession(this.http, this.baseUrl, options, this.now);
  }

  async listOrders({ since, cursor }: ListOrdersInput): Promise<OrderPage> {
    const window: EbayCursor = cursor
      ? decodeEbayCursor(cursor)
      : {
          from: (since ?? new Date(this.now().getTime() - HISTORY_MS)).toISOString(),
          until: this.now().toISOString(),
          offset: 0,
        };
    const page = await this.fetchPage(window.from, window.until, window.offset, this.limit);
    const orders = page.orders ?? [];
    const nextOffset = window.offset + orders.length;
    const more = orders.length > 0 && (page.next !== undefined || nextOffset < page.total);
    return {
      orders: orders.map(mapEbayOrder),
      nextCursor: more ? encodeEbayCursor({ ...window, offset: nextOffset }) : null,
    };
  }

  async testConnection(): Promise<void> {
    const now = this.now();
    await this.fetchPage(new Date(now.getTime() - 24 * 3600 * 1000).toISOString(), now.toISOString(), 0, 1);
  }

  private async fetchPage(
    from: string,
    until: string,
    offset: number,
    limit: number,
  ): Promise<EbayOrderSearchPagedCollection> {
    const query = new URLSearchParams({
      filter: `lastmodifieddate:[${from}..${until}]`,
      limit: String(limit),
      offset: String(offset),
    });
    const url = `${this.baseUrl}/sell/fulfillment/v1/order?${query.toString()}`;
    const response = await this.auth.authorized((token) =>
      this.http.request<EbayOrderSearchPagedCollection>(url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      }),
    );
    return response.body;
  }
}

export function createEbayConnector(options: ChannelConnectorOptions): EbayConnector {
  return new EbayConnector(options);
}
