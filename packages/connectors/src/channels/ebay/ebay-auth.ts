import { ChannelError, type ChannelConnectorOptions } from '../channel-connector.js';
import { TokenSession } from '../common/token-session.js';
import type { ChannelHttp } from '../http/channel-http.js';
import type { EbayTokenResponse } from './ebay-types.js';

const DEFAULT_SCOPE = 'https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly';

/**
 * eBay OAuth user token: `accessToken` + `accessTokenExpiresAt` (ISO) are kept in the credentials and
 * refreshed with `refreshToken` (basic auth clientId:clientSecret) when expired or answered with 401.
 */
export function ebayTokenSession(
  http: ChannelHttp,
  baseUrl: string,
  options: ChannelConnectorOptions,
  now: () => Date,
): TokenSession {
  return new TokenSession({
    credentials: options.credentials,
    onCredentialsChanged: options.onCredentialsChanged,
    now,
    expiryMarginMs: 60_000,
    refreshOnStatuses: [401],
    async requestToken({ clientId, clientSecret, refreshToken }) {
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
        scope: options.settings.scopes ?? DEFAULT_SCOPE,
      });
      const response = await http.request<EbayTokenResponse>(`${baseUrl}/identity/v1/oauth2/token`, {
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
      return { accessToken: token.access_token, expiresInSeconds: token.expires_in };
    },
  });
}
