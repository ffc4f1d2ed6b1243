import { ChannelError, type ChannelConnectorOptions } from '../channel-connector.js';
import type { ChannelHttp } from '../http/channel-http.js';

/** Refresh this long before the stated expiry so a token does not die mid-request. */
const EXPIRY_MARGIN_MS = 30_000;

/**
 * Client-credentials token for the Admin API. The token and its expiry are stored back into the
 * connection's credentials (`accessToken`, `accessTokenExpiresAt`) through onCredentialsChanged, so
 * the next run reuses it instead of asking for a new one.
 */
export class ShopwareTokenSource {
  private token: string | null;
  private expiresAt: number;
  private readonly now: () => Date;

  constructor(
    private readonly http: ChannelHttp,
    private readonly baseUrl: string,
    private readonly options: ChannelConnectorOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.token = options.credentials.accessToken ?? null;
    const stored = Date.parse(options.credentials.accessTokenExpiresAt ?? '');
    this.expiresAt = Number.isNaN(stored) ? 0 : stored;
  }

  async current(): Promise<string> {
    if (this.token && this.now().getTime() < this.expiresAt - EXPIRY_MARGIN_MS) return this.token;
    return this.refresh();
  }

  async refresh(): Promise<string> {
    const { clientId, clientSecret } = this.options.credentials;
    if (!clientId || !clientSecret)
      throw new ChannelError('Shopware needs credentials.clientId and clientSecret', null, false);
    const response = await this.http.request<{ access_token?: string; expires_in?: number }>(
      `${this.baseUrl}/api/oauth/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
      },
    );
    const { access_token: token, expires_in: expiresIn } = response.body ?? {};
    if (!token) throw new ChannelError('Shopware token response without access_token', response.status, false);
    this.token = token;
    this.expiresAt = this.now().getTime() + (expiresIn ?? 600) * 1000;
    await this.options.onCredentialsChanged?.({
      ...this.options.credentials,
      accessToken: token,
      accessTokenExpiresAt: new Date(this.expiresAt).toISOString(),
    });
    return token;
  }
}
