import { ChannelError, type ChannelConnectorOptions, type ConnectionCredentials } from '../channel-connector.js';
import type { ChannelHttp } from '../http/channel-http.js';
import type { EtsyTokenResponse } from './etsy-types.js';

const EXPIRY_MARGIN_MS = 60_000;

/**
 * Etsy sends two credentials on every call: `x-api-key` (the app's keystring, `keystring:secret` for
 * newer apps) and an OAuth2 Bearer token, which lives an hour and is refreshed with the refresh token.
 * Etsy rotates the refresh token on refresh, so both are handed to onCredentialsChanged.
 */
export class EtsyAuth {
  private credentials: ConnectionCredentials;

  constructor(
    private readonly http: ChannelHttp,
    private readonly baseUrl: string,
    private readonly options: ChannelConnectorOptions,
    private readonly now: () => Date,
  ) {
    this.credentials = { ...options.credentials };
    if (!this.credentials.apiKey)
      throw new ChannelError('Etsy: credentials.apiKey (keystring) is required', null, false);
  }

  /** The keystring alone: what the token endpoint wants as client_id. */
  private get keystring(): string {
    return (this.credentials.apiKey ?? '').split(':')[0] ?? '';
  }

  get apiKeyHeader(): string {
    const { apiKey = '', sharedSecret } = this.credentials;
    return sharedSecret && !apiKey.includes(':') ? `${apiKey}:${sharedSecret}` : apiKey;
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
    const { refreshToken } = this.credentials;
    if (!refreshToken)
      throw new ChannelError('Etsy: refreshToken is required to refresh the access token', null, false);
    const response = await this.http.request<EtsyTokenResponse>(`${this.baseUrl}/v3/public/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: this.keystring,
        refresh_token: refreshToken,
      }).toString(),
    });
    const token = response.body;
    if (!token?.access_token)
      throw new ChannelError('Etsy: token response carried no access_token', response.status, false);
    this.credentials = {
      ...this.credentials,
      accessToken: token.access_token,
      accessTokenExpiresAt: new Date(this.now().getTime() + token.expires_in * 1000).toISOString(),
      ...(token.refresh_token ? { refreshToken: token.refresh_token } : {}),
    };
    await this.options.onCredentialsChanged?.({ ...this.credentials });
    return token.access_token;
  }
}
