import { ChannelError, type ChannelConnectorOptions } from '../channel-connector.js';
import { TokenSession } from '../common/token-session.js';
import type { ChannelHttp } from '../http/channel-http.js';

/**
 * Client-credentials token for the Admin API. The token and its expiry are stored back into the
 * connection's credentials (`accessToken`, `accessTokenExpiresAt`) through onCredentialsChanged, so
 * the next run reuses it instead of asking for a new one. A 401 means the token died early.
 */
export function shopwareTokenSession(
  http: ChannelHttp,
  baseUrl: string,
  options: ChannelConnectorOptions,
): TokenSession {
  return new TokenSession({
    credentials: options.credentials,
    onCredentialsChanged: options.onCredentialsChanged,
    now: options.now ?? (() => new Date()),
    expiryMarginMs: 30_000,
    refreshOnStatuses: [401],
    async requestToken({ clientId, clientSecret }) {
      if (!clientId || !clientSecret)
        throw new ChannelError('Shopware needs credentials.clientId and clientSecret', null, false);
      const response = await http.request<{ access_token?: string; expires_in?: number }>(
        `${baseUrl}/api/oauth/token`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
        },
      );
      const { access_token: token, expires_in: expiresIn } = response.body ?? {};
      if (!token) throw new ChannelError('Shopware token response without access_token', response.status, false);
      return { accessToken: token, expiresInSeconds: expiresIn ?? 600 };
    },
  });
}
