import { ChannelError, type ChannelConnectorOptions, type ConnectionCredentials } from '../channel-connector.js';

/** What a provider's token endpoint handed back, already checked for an access token. */
export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
  /** Set by providers that rotate the refresh token on every refresh (Etsy). */
  refreshToken?: string;
}

export interface TokenSessionOptions {
  credentials: ConnectionCredentials;
  onCredentialsChanged?: ChannelConnectorOptions['onCredentialsChanged'];
  now: () => Date;
  /** Refresh this long before the stated expiry, so a token never dies mid-request. */
  expiryMarginMs: number;
  /** Statuses with which the provider rejects a dead token; one of them refreshes once and resends. */
  refreshOnStatuses: readonly number[];
  /** Asks the provider's token endpoint for a new access token with the current credentials. */
  requestToken: (credentials: ConnectionCredentials) => Promise<IssuedToken>;
}

/**
 * An access token kept in the connection's credentials (`accessToken` + `accessTokenExpiresAt`, ISO)
 * and refreshed when it is about to expire or the provider rejects it. Every refresh hands the full
 * credential set to onCredentialsChanged, so the hub stores it and the next run reuses the token.
 */
export class TokenSession {
  private state: ConnectionCredentials;
  /** The refresh in flight: requests side by side share it (Etsy's refresh token works only once). */
  private refreshing: Promise<string> | null = null;

  constructor(private readonly options: TokenSessionOptions) {
    this.state = { ...options.credentials };
  }

  /** The credentials as of the last refresh. */
  get credentials(): Readonly<ConnectionCredentials> {
    return this.state;
  }

  /** Runs `send` with a valid token; a rejected token is refreshed once and `send` runs again. */
  async authorized<T>(send: (accessToken: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await send(token);
    } catch (error) {
      if (!(error instanceof ChannelError) || !this.options.refreshOnStatuses.includes(error.status ?? -1)) throw error;
      // A request side by side may have refreshed since this one started: its token is the new one.
      const current = this.state.accessToken;
      return send(current && current !== token ? current : await this.refresh());
    }
  }

  private async accessToken(): Promise<string> {
    const { accessToken, accessTokenExpiresAt } = this.state;
    const expiresAt = accessTokenExpiresAt ? Date.parse(accessTokenExpiresAt) : Number.NaN;
    const fresh = !Number.isNaN(expiresAt) && expiresAt - this.options.expiryMarginMs > this.options.now().getTime();
    return accessToken && fresh ? accessToken : this.refresh();
  }

  private refresh(): Promise<string> {
    this.refreshing ??= this.requestAndStore().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async requestAndStore(): Promise<string> {
    const token = await this.options.requestToken(this.state);
    this.state = {
      ...this.state,
      accessToken: token.accessToken,
      accessTokenExpiresAt: new Date(this.options.now().getTime() + token.expiresInSeconds * 1000).toISOString(),
      ...(token.refreshToken ? { refreshToken: token.refreshToken } : {}),
    };
    await this.options.onCredentialsChanged?.({ ...this.state });
    return token.accessToken;
  }
}
