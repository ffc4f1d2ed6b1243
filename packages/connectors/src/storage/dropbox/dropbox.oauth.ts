import { oauthFlow, type OAuthAppConfig, type OAuthFlow } from '../oauth.js';

export const DROPBOX_AUTHORIZE_ENDPOINT = 'https://www.dropbox.com/oauth2/authorize';
export const DROPBOX_TOKEN_ENDPOINT = 'https://api.dropboxapi.com/oauth2/token';

/**
 * Dropbox's code flow with `token_access_type=offline`, so the exchange returns a refresh token
 * (access tokens live 4 hours). Written over plain fetch: the SDK's DropboxAuth puts the client
 * secret into the token URL's query string and does not encode redirect_uri or state.
 */
export function dropboxOAuth(config: OAuthAppConfig): OAuthFlow {
  return oauthFlow(config, {
    authorizeEndpoint: DROPBOX_AUTHORIZE_ENDPOINT,
    tokenEndpoint: DROPBOX_TOKEN_ENDPOINT,
    extraAuthorizeParams: { token_access_type: 'offline' },
  });
}
