import { ChannelError, type ChannelConnectorOptions } from '../channel-connector.js';
import { TokenSession } from '../common/token-session.js';
import type { ChannelHttp } from '../http/channel-http.js';
import type { LwaTokenResponse } from './amazon-types.js';

export const LWA_DEFAULT_URL = 'https://api.amazon.com';

/**
 * Login with Amazon: an access token (an hour) minted from the seller's refresh token and the app's
 * client id/secret, sent as `x-amz-access-token`. SP-API answers an expired or revoked token with 403
 * `Unauthorized` (sometimes 401), so either refreshes once and resends.
 */
export function amazonTokenSession(
  http: ChannelHttp,
  lwaUrl: string,
  options: ChannelConnectorOptions,
  now: () => Date,
): TokenSession {
  return new TokenSession({
    credentials: options.credentials,
    onCredentialsChanged: options.onCredentialsChanged,
    now,
    expiryMarginMs: 60_000,
    refreshOnStatuses: [401, 403],
    async requestToken({ clientId, clientSecret, refreshToken }) {
      if (!clientId || !clientSecret || !refreshToken) {
        throw new ChannelError(
          'Amazon: clientId, clientSecret and refreshToken are required for Login with Amazon',
          null,
          false,
        );
      }
      const response = await http.request<LwaTokenResponse>(`${lwaUrl}/auth/o2/token`, {
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
      return { accessToken: token.access_token, expiresInSeconds: token.expires_in };
    },
  });
}
