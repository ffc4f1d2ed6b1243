import { oauthFlow, type OAuthAppConfig, type OAuthFlow } from '../oauth.js';

export const GOOGLE_AUTHORIZE_ENDPOINT = 'https://accounts.google.com/o/oauth2/v2/auth';
export const GOOGLE_TOKEN_ENDPOINT = 'https://oauth2.googleapis.com/token';
export const DRIVE_READONLY_SCOPE = 'https://www.googleapis.com/auth/drive.readonly';

/**
 * Google's code flow for read-only Drive access. `access_type=offline` asks for a refresh token and
 * `prompt=consent` makes Google issue one again when the merchant reconnects (it otherwise only does
 * on the first consent).
 */
export function googleDriveOAuth(config: OAuthAppConfig): OAuthFlow {
  return oauthFlow(config, {
    authorizeEndpoint: GOOGLE_AUTHORIZE_ENDPOINT,
    tokenEndpoint: GOOGLE_TOKEN_ENDPOINT,
    extraAuthorizeParams: {
      scope: DRIVE_READONLY_SCOPE,
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
    },
  });
}
