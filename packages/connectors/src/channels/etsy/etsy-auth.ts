import { ChannelError, type ChannelConnectorOptions, type ConnectionCredentials } from '../channel-connector.js';
import { TokenSession } from '../common/token-session.js';
import type { ChannelHttp } from '../http/channel-http.js';
import type { EtsyTokenResponse } from './etsy-types.js';

/**
 * Etsy sends two credentials on every call: `x-api-key` (the app's keystring, `keystring:secret` for
 * newer apps, see etsyApiKeyHeader) and an OAuth2 Bearer token, which lives an hour and is refreshed
 * with the refresh token. Etsy rotates the refresh token on refresh, so both are handed to
 * onCredentialsChanged.
 */
export function etsyTokenSession(
  http: ChannelHttp,
  baseUrl: string,
  options: ChannelConnectorOptions,
  now: () => Date,
): TokenSession {
  if (!options.credentials.apiKey)
    throw new ChannelError('Etsy: credentials.apiKey (keystring) is required', null, false);
  return new TokenSession({
    credentials: options.credentials,
    onCredentialsChanged: options.onCredentialsChanged,
    now,
    expiryMarginMs: 60_000,
    refreshOnStatuses: [401],
    async requestToken({ apiKey = '', refreshToken }) {
      if (!refreshToken)
        throw new ChannelError('Etsy: refreshToken is required to refresh the access token', null, false);
      const response = await http.request<EtsyTokenResponse>(`${baseUrl}/v3/public/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          // The keystring alone: what the token endpoint wants as client_id.
          client_id: apiKey.split(':')[0] ?? '',
          refresh_token: refreshToken,
        }).toString(),
      });
      const token = response.body;
      if (!token?.access_token)
        throw new ChannelError('Etsy: token response carried no access_token', response.status, false);
      return { accessToken: token.access_token, expiresInSeconds: token.expires_in, refreshToken: token.refresh_token };
    },
  });
}

/** The `x-api-key` value: `keystring:secret` when the secret is stored apart from the keystring. */
export function etsyApiKeyHeader({ apiKey = '', sharedSecret }: Readonly<ConnectionCredentials>): string {
  return sharedSecret && !apiKey.includes(':') ? `${apiKey}:${sharedSecret}` : apiKey;
}
