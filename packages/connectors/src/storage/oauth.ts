/** Tokens from an OAuth authorization-code or refresh grant. */
export interface OAuthTokens {
  accessToken: string;
  /** Present after the code exchange (offline access); refresh grants usually return none. */
  refreshToken: string | null;
  expiresAt: Date | null;
}

/** What a connection should store (encrypted) after a provider refreshed its access token. */
export type RefreshedCredentials = OAuthTokens;

/** The app's registration with the provider plus, for tests, where its endpoints live. */
export interface OAuthAppConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Override the provider's authorize page (tests). */
  authorizeEndpoint?: string;
  /** Override the provider's token endpoint (tests point it at a fake). */
  tokenEndpoint?: string;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** An OAuth authorization-code flow for one provider, ready for the merchant console's "connect" button. */
export interface OAuthFlow {
  /** The page to send the merchant to; `state` must be a CSRF token the caller checks on return. */
  authorizeUrl(input: { state: string; redirectUri?: string }): string;
  exchangeCode(code: string, redirectUri?: string): Promise<OAuthTokens>;
  refresh(refreshToken: string): Promise<OAuthTokens>;
}

/** A refused or failed token request; `code` is the OAuth error (`invalid_grant` = token revoked). */
export class OAuthError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
    this.name = 'OAuthError';
  }

  /** True when asking again later may work (network, 5xx, 429); false when the grant itself is bad. */
  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }
}

/**
 * POSTs a form to a token endpoint, client credentials in the body (both Dropbox and Google accept
 * that), never in the URL where proxies would log them.
 */
export async function requestTokens(
  config: Pick<OAuthAppConfig, 'clientId' | 'clientSecret' | 'fetch' | 'now'> & { tokenEndpoint: string },
  params: Record<string, string>,
): Promise<OAuthTokens> {
  const doFetch = config.fetch ?? fetch;
  const body = new URLSearchParams({ ...params, client_id: config.clientId, client_secret: config.clientSecret });
  let response: Response;
  try {
    response = await doFetch(config.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body,
    });
  } catch (error) {
    throw new OAuthError(`token endpoint unreachable: ${(error as Error).message}`, null, null);
  }
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Non-JSON error pages are reported by status below.
  }
  if (!response.ok || typeof json.access_token !== 'string') {
    const code = typeof json.error === 'string' ? json.error : null;
    const detail = typeof json.error_description === 'string' ? json.error_description : text.slice(0, 200);
    throw new OAuthError(`token request failed (${response.status} ${code ?? ''}): ${detail}`, response.status, code);
  }
  const now = (config.now ?? (() => new Date()))();
  const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in);
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
  };
}

/** Builds a flow from the parts that differ between providers. */
export function oauthFlow(
  config: OAuthAppConfig,
  defaults: { authorizeEndpoint: string; tokenEndpoint: string; extraAuthorizeParams: Record<string, string> },
): OAuthFlow {
  const tokenEndpoint = config.tokenEndpoint ?? defaults.tokenEndpoint;
  return {
    authorizeUrl({ state, redirectUri }) {
      const url = new URL(config.authorizeEndpoint ?? defaults.authorizeEndpoint);
      url.search = new URLSearchParams({
        client_id: config.clientId,
        redirect_uri: redirectUri ?? config.redirectUri,
        response_type: 'code',
        state,
        ...defaults.extraAuthorizeParams,
      }).toString();
      return url.toString();
    },
    exchangeCode(code, redirectUri) {
      return requestTokens(
        { ...config, tokenEndpoint },
        { grant_type: 'authorization_code', code, redirect_uri: redirectUri ?? config.redirectUri },
      );
    },
    refresh(refreshToken) {
      return requestTokens({ ...config, tokenEndpoint }, { grant_type: 'refresh_token', refresh_token: refreshToken });
    },
  };
}
