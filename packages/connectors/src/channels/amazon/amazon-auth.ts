import { ChannelError, type ChannelConnectorOptions, type ConnectionCredentials } from '../channel-connector.js';
import type { ChannelHttp } from '../http/channel-http.js';
import type { LwaTokenResponse } from './amazon-types.js';

const EXPIRY_MARGIN_MS = 60_000;
export const LWA_DEFAULT_URL = 'https://api.amazon.com';

/**
 * Login with Amazon: an access token (an hour) minted from the seller's refresh token and the app's
 * client id/secret, sent as `x-amz-access-token`. SP-API answers an expired or revoked token with 403
 * `Unauthorized` (sometimes 401), so either refreshes once and resends.
 */
export class AmazonAuth {
  private credentials: ConnectionCredentials;

  constructor(
    private readonly http: ChannelHttp,
    private readonly lwaUrl: string,
    private readonly options: ChannelConnectorOptions,
    private readonly now: () => Date,
  ) {
    this.credentials = { ...options.credentials };
  }

  async authorized<T>(send: (accessToken: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await send(token);
    } catch (error) {
      if (!(error instanceof ChannelError) || (error.status !== 401 && error.status !== 403)) throw error;
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
        'Amazon: clientId, clientSecret and refreshToken are required for Login with Amazon',
        null,
        false,
      );
    }
    const response = await this.http.request<LwaTokenResponse>(`${this.lwaUrl}/auth/o2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
    });
    const token = response.body;
    if (!token?.access_token)
      throw new ChannelError('Amazon: LWA response carried no access_token', response.status, false);
    this.credentials = {
      ...this.credentials,
      accessToken: token.access_token,
      accessTokenExpiresAt: new Date(this.now().getTime() + token.expires_in * 1000).toISOString(),
    };
    await this.options.onCredentialsChanged?.({ ...this.credentials });
    return token.access_token;
  }
}
