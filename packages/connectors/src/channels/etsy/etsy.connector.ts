import {
  ChannelError,
  type ChannelConnector,
  type ChannelConnectorOptions,
  type ListOrdersInput,
  type OrderPage,
} from '../channel-connector.js';
import type { TokenSession } from '../common/token-session.js';
import {
  ChannelRateLimitError,
  createChannelHttp,
  type ChannelHttp,
  type ChannelHttpResponse,
} from '../http/channel-http.js';
import { etsyApiKeyHeader, etsyTokenSession } from './etsy-auth.js';
import { decodeEtsyCursor, encodeEtsyCursor, type EtsyCursor } from './etsy-cursor.js';
import { mapEtsyReceipt } from './etsy-order-mapper.js';
import { etsyDailyQuotaSpent, etsyThrottleDelay } from './etsy-rate-limit.js';
import type { EtsyReceiptsResponse } from './etsy-types.js';

export const ETSY_DEFAULT_BASE_URL = 'https://api.etsy.com';
const MAX_LIMIT = 100;
/** Etsy rejects timestamps before 2000-01-01 in its filters. */
const ETSY_EPOCH = 946_684_800;
/** Etsy's quota is a sliding 24-hour window; an hour later some of it is back. */
const DAILY_QUOTA_RETRY_MS = 3_600_000;
/** Receipts of the boundary second read again on the next page (see EtsyCursor). */
const MAX_OVERLAP = 10;

/**
 * Etsy Open API v3 shop receipts. Credentials: apiKey (keystring or keystring:secret), optional
 * sharedSecret, refreshToken (+ accessToken, accessTokenExpiresAt). Settings: shopId, baseUrl,
 * pageSize (≤100). Etsy offers no buyer messaging API, hence no sendMessage.
 */
export class EtsyConnector implements ChannelConnector {
  readonly kind = 'etsy';
  private readonly http: ChannelHttp;
  private readonly auth: TokenSession;
  private readonly baseUrl: string;
  private readonly shopId: string;
  private readonly limit: number;
  private dailyQuotaSpent = false;

  constructor(options: ChannelConnectorOptions) {
    const now = options.now ?? (() => new Date());
    this.baseUrl = (options.settings.baseUrl ?? ETSY_DEFAULT_BASE_URL).replace(/\/+$/, '');
    const shopId = options.settings.shopId;
    if (!shopId) throw new ChannelError('Etsy: settings.shopId is required', null, false);
    this.shopId = shopId;
    this.limit = Math.min(MAX_LIMIT, Math.max(1, Number(options.settings.pageSize ?? MAX_LIMIT) || MAX_LIMIT));
    this.http = createChannelHttp({
      fetch: options.fetch,
      outbound: options.outbound,
      sleep: options.sleep,
      now,
      maxRetries: 5,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      throttleDelay: etsyThrottleDelay,
    });
    this.auth = etsyTokenSession(this.http, this.baseUrl, options, now);
  }

  async listOrders({ since, cursor }: ListOrdersInput): Promise<OrderPage> {
    const position: EtsyCursor = cursor
      ? decodeEtsyCursor(cursor)
      : { from: Math.max(ETSY_EPOCH, since ? Math.floor(since.getTime() / 1000) : ETSY_EPOCH), count: 0, recent: [] };
    // Re-read a few receipts of the boundary second; fewer than a page, so every page makes progress.
    const overlap = Math.min(MAX_OVERLAP, Math.floor(this.limit / 2), position.recent.length);
    const page = await this.fetchReceipts({
      min_last_modified: String(position.from),
      sort_on: 'updated',
      sort_order: 'asc',
      limit: String(this.limit),
      offset: String(position.count - overlap),
    });
    const results = page.results ?? [];
    const alreadyReturned = new Set(position.recent);
    const fresh = results.filter((r) => !(r.updated_timestamp === position.from && alreadyReturned.has(r.receipt_id)));
    const last = results.at(-1);
    let nextCursor: string | null = null;
    if (last !== undefined && results.length === this.limit) {
      const atLast = results.filter((r) => r.updated_timestamp === last.updated_timestamp).map((r) => r.receipt_id);
      const next: EtsyCursor =
        last.updated_timestamp === position.from
          ? {
              from: position.from,
              count: position.count - overlap + atLast.length,
              recent: [...new Set([...position.recent, ...atLast])],
            }
          : { from: last.updated_timestamp, count: atLast.length, recent: atLast };
      next.recent = next.recent.slice(-2 * MAX_OVERLAP);
      nextCursor = encodeEtsyCursor(next);
    }
    return { orders: fresh.map(mapEtsyReceipt), nextCursor };
  }

  async testConnection(): Promise<void> {
    await this.fetchReceipts({ limit: '1' });
  }

  private async fetchReceipts(query: Record<string, string>): Promise<EtsyReceiptsResponse> {
    if (this.dailyQuotaSpent) {
      throw new ChannelRateLimitError(
        'Etsy: the daily request quota is spent (x-remaining-today: 0)',
        DAILY_QUOTA_RETRY_MS,
      );
    }
    const url = `${this.baseUrl}/v3/application/shops/${encodeURIComponent(this.shopId)}/receipts?${new URLSearchParams(query).toString()}`;
    const response: ChannelHttpResponse<EtsyReceiptsResponse> = await this.auth.authorized((token) =>
      this.http.request<EtsyReceiptsResponse>(url, {
        headers: {
          'x-api-key': etsyApiKeyHeader(this.auth.credentials),
          authorization: `Bearer ${token}`,
          accept: 'application/json',
        },
      }),
    );
    if (etsyDailyQuotaSpent(response)) this.dailyQuotaSpent = true;
    return response.body;
  }
}

export function createEtsyConnector(options: ChannelConnectorOptions): EtsyConnector {
  return new EtsyConnector(options);
}
