import { Dropbox, DropboxAuth } from 'dropbox';
import { StorageError } from '../storage-provider.js';
import { DROPBOX_TOKEN_ENDPOINT, dropboxOAuth } from './dropbox.oauth.js';
import { isExpiredToken, isTransient, mapDropboxError, retryAfterMs } from './dropbox-errors.js';
import type { DropboxDeps, DropboxOptions } from './dropbox.options.js';

const DROPBOX_HOSTS = /^https:\/\/(api|content)\.dropboxapi\.com(?=\/)/;
/** Refresh this long before the stated expiry, so a token does not die mid-request. */
const EXPIRY_MARGIN_MS = 60_000;
/** Longest Retry-After we wait inside one call; longer means the hub should come back later. */
const MAX_WAIT_MS = 30_000;

/**
 * One authenticated Dropbox connection: the SDK client for RPC calls, the current access token,
 * refresh on expiry (before use, and once on a 401 expired_access_token), and retries on 429/5xx.
 */
export class DropboxSession {
  readonly sdk: Dropbox;
  private readonly auth: DropboxAuth;
  readonly fetch: typeof fetch;
  private accessToken: string | null;
  private expiresAt: Date | null;
  private refreshing: Promise<void> | null = null;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => Date;

  constructor(
    private readonly options: DropboxOptions,
    private readonly deps: DropboxDeps = {},
  ) {
    const base = deps.fetch ?? globalThis.fetch;
    const origin = options.apiBaseUrl?.replace(/\/$/, '');
    this.fetch = origin
      ? (input, init) => base(typeof input === 'string' ? input.replace(DROPBOX_HOSTS, origin) : input, init)
      : base;
    this.accessToken = options.accessToken ?? null;
    this.expiresAt = options.accessTokenExpiresAt ? new Date(options.accessTokenExpiresAt) : null;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = deps.now ?? (() => new Date());
    // Only the access token goes to the SDK: refreshing is ours (see dropbox.oauth.ts for why).
    this.auth = new DropboxAuth({ accessToken: this.accessToken ?? undefined, fetch: this.fetch });
    this.sdk = new Dropbox({ auth: this.auth, fetch: this.fetch });
  }

  /** Runs a request with a fresh token, refreshing once on expiry and retrying transient failures. */
  async call<T>(what: string, request: (accessToken: string) => Promise<T>): Promise<T> {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        const token = await this.token();
        return await request(token);
      } catch (error) {
        if (isExpiredToken(error) && this.canRefresh() && !refreshed) {
          refreshed = true;
          this.expiresAt = new Date(0); // what we were told no longer holds
          await this.refresh().catch((refreshError: unknown) => {
            throw mapDropboxError(refreshError, what);
          });
          attempt--;
          continue;
        }
        const wait = retryAfterMs(error) ?? 250 * 2 ** attempt;
        if (isTransient(error) && attempt < (this.options.maxRetries ?? 2) && wait <= MAX_WAIT_MS) {
          await this.sleep(wait);
          continue;
        }
        throw mapDropboxError(error, what);
      }
    }
  }

  private canRefresh(): boolean {
    return Boolean(this.options.refreshToken && this.options.clientId && this.options.clientSecret);
  }

  private async token(): Promise<string> {
    const stale =
      !this.accessToken || (this.expiresAt && this.expiresAt.getTime() - EXPIRY_MARGIN_MS <= this.now().getTime());
    if (stale && this.canRefresh()) await this.refresh();
    if (!this.accessToken)
      throw new StorageError('unauthorized', 'Dropbox connection has no access token and cannot refresh one');
    return this.accessToken;
  }

  /** Single-flight: concurrent calls that all see an expired token share one refresh. */
  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const flow = dropboxOAuth({
          clientId: this.options.clientId!,
          clientSecret: this.options.clientSecret!,
          redirectUri: '',
          tokenEndpoint: DROPBOX_TOKEN_ENDPOINT,
          fetch: this.fetch,
          now: this.now,
        });
        const tokens = await flow.refresh(this.options.refreshToken!);
        this.accessToken = tokens.accessToken;
        this.expiresAt = tokens.expiresAt;
        this.auth.setAccessToken(tokens.accessToken);
        await this.deps.onCredentialsChanged?.({
          accessToken: tokens.accessToken,
          refreshToken: tokens.refreshToken ?? this.options.refreshToken ?? null,
          expiresAt: tokens.expiresAt,
        });
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }
}
