import { ChannelError, type ChannelConnectorOptions, type ConnectionCredentials } from '../channel-connector.js';
import type { ChannelHttp } from '../http/channel-http.js';
import type { EbayTokenResponse } from './ebay-types.js';

/** Refresh this long before the stated expiry, so a token never dies mid-request. */
const EXPIRY_MARGIN_MS = 60_000;
const DEFAULT_SCOPE = 'https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly';

/**
 * eBay OAuth user token: `accessToken` + `accessTokenExpiresAt` (ISO) are kept in the credentials and
 * refreshed with `refreshToken` (basic auth clientId:clientSecret) when expired or answered with 401.
 */
export class EbayAuth {
  private credentials: ConnectionCredentials;

  constructor(
    private readonly http: ChannelHttp,
    private readonly baseUrl: string,
    private readonly options: ChannelConnectorOptions,
    private readonly now: () => Date,
  ) {
    this.credentials = { ...options.credentials };
  }

  /** Runs `send` with a valid token; a 401 refreshes once and sends again. */
  async authorized<T>(send: (accessToken: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await send(token);
    } catch (error) {
      if (!(error instanceof ChannelError) || error.status !== 401) throw error;
      return send(await this.refresh());
    }
  }

  private async accessToken(): Promise<string> {
    const { accessToken, accessTokenExpiresAt } = this.credentials;
    const expiresAt = accessTokenExpiresAt ? Date.parse(accessTokenExpiresAt) : Number.NaN;
    const fresh = !Number.isNaN(expiresAt) && expiresAt - EXPIRY_MARGIN_MS > this.now().getTime();
    return accessToken && fresh ? accessToken : this.refresh();
  }

  private async refresh(): Promise<string> {
    const { clientId, clientSecret, refreshToken } = this.credentials;
    if (!clientId || !clientSecret || !refreshToken) {
      throw new ChannelError(
        'eBay: clientId, clientSecret and refreshToken are required to refresh the access token',
        null,
        false,
      );
    }
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      scope: this.options.settings.scopes ?? DEFAULT_SCOPE,
    });
    const response = await this.http.request<EbayTokenResponse>(`${this.baseUrl}/identity/v1/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
    });
    const token = response.body;
    if (!token?.access_token)
      throw new ChannelError('eBay: token response carried no access_token', response.status, false);
    this.credentials = {
      ...this.credentials,
      accessToken: token.access_token,
      accessTokenExpiresAt: new Date(this.now().getTime() + token.expires_in * 1000).toISOString(),
    };
    await this.options.onCredentialsChanged?.({ ...this.credentials });
    return token.access_token;
  }
}
