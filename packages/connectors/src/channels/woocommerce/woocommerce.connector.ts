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
import { mapWooOrder } from './woocommerce-order-mapper.js';
import type { WooOrder, WooRefund } from './woocommerce-types.js';
import { parseWooWebhook, verifyWooWebhook } from './woocommerce-webhook.js';

const CURSOR_KIND = 'woocommerce';
const PER_PAGE = 100;
/**
 * Pages overlap by this many orders: an order modified during the run jumps to the end of the
 * `orderby=modified` list and shifts the rest back, which plain page numbers would skip over.
 */
const OVERLAP = 10;

interface WooCursor extends Record<string, unknown> {
  since: string | null;
  offset: number;
  /** Ids of the previous page, dropped from the overlapping next one. */
  recent: number[];
}

/**
 * WooCommerce REST v3. credentials: `consumerKey`, `consumerSecret` (Basic auth, HTTPS only),
 * `webhookSecret`. settings: `baseUrl` (the site URL, e.g. https://shop.example.com).
 */
export class WooCommerceConnector implements ChannelConnector {
  readonly kind = 'woocommerce';
  private readonly http: ChannelHttp;
  private readonly api: string;

  constructor(private readonly options: ChannelConnectorOptions) {
    const site = options.settings.baseUrl ?? options.settings.siteUrl;
    if (!site) throw new ChannelError('WooCommerce needs settings.baseUrl (the site URL)', null, false);
    this.api = `${site.replace(/\/$/, '')}/wp-json/wc/v3`;
    this.http = createChannelHttp({
      fetch: options.fetch,
      outbound: options.outbound,
      sleep: options.sleep,
      now: options.now,
    });
  }

  async listOrders(input: ListOrdersInput): Promise<OrderPage> {
    const state: WooCursor = input.cursor
      ? decodeCursor<WooCursor>(CURSOR_KIND, input.cursor)
      : { since: input.since?.toISOString() ?? null, offset: 0, recent: [] };
    const params = new URLSearchParams({
      per_page: String(PER_PAGE),
      offset: String(state.offset),
      orderby: 'modified',
      order: 'asc',
      dates_are_gmt: 'true',
    });
    const since = cursorDate(state.since);
    // modified_after is exclusive and second-precise: step back one second so nothing at the edge is lost.
    if (since) params.set('modified_after', new Date(Math.floor(since.getTime() / 1000) * 1000 - 1000).toISOString());

    const response = await this.get<WooOrder[]>(`/orders?${params}`);
    const raw = Array.isArray(response.body) ? response.body : [];
    const recent = new Set(state.recent ?? []);
    const orders = [];
    for (const order of raw.filter((o) => !recent.has(o.id))) {
      const refunds = order.refunds?.length ? await this.refundsOf(order.id) : [];
      orders.push(mapWooOrder(order, refunds));
    }
    const total = Number(response.headers.get('x-wp-total'));
    const seen = state.offset + raw.length;
    const more = response.headers.has('x-wp-total') && Number.isFinite(total) ? seen < total : raw.length === PER_PAGE;
    const next: WooCursor = { since: state.since, offset: seen - OVERLAP, recent: raw.map((o) => o.id) };
    return { orders, nextCursor: more ? encodeCursor(CURSOR_KIND, next) : null };
  }

  async testConnection(): Promise<void> {
    await this.get('/orders?per_page=1');
  }

  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): boolean {
    return verifyWooWebhook(this.options.credentials.webhookSecret ?? '', rawBody, headers);
  }

  parseWebhook(rawBody: Buffer, headers: WebhookHeaders): WebhookDelivery {
    return parseWooWebhook(rawBody, headers);
  }

  private async refundsOf(orderId: number): Promise<WooRefund[]> {
    const response = await this.get<WooRefund[]>(`/orders/${orderId}/refunds?per_page=100`);
    return Array.isArray(response.body) ? response.body : [];
  }

  private get<T>(path: string) {
    const { consumerKey = '', consumerSecret = '' } = this.options.credentials;
    return this.http.request<T>(`${this.api}${path}`, {
      headers: {
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}`,
      },
    });
  }
}
