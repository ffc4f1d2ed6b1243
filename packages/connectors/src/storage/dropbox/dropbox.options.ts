import type { RefreshedCredentials } from '../oauth.js';

export type { RefreshedCredentials };

/** How a merchant connects a Dropbox account (credentials from the OAuth flow in dropbox.oauth.ts). */
export interface DropboxOptions {
  /** Folder that is the connection's root, e.g. '/Shop'; '' = the whole Dropbox (or app folder). */
  root: string;
  accessToken?: string;
  /** ISO time or Date; a token past it (minus a minute) is refreshed before use. */
  accessTokenExpiresAt?: string | Date | null;
  /** With clientId + clientSecret: lets the provider refresh expired access tokens itself. */
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  /**
   * Serve both API hosts (api.dropboxapi.com, content.dropboxapi.com) from this origin instead,
   * e.g. 'http://127.0.0.1:4567' for the fake. The SDK hard-codes https, so requests are rewritten.
   */
  apiBaseUrl?: string;
  /** Entries per list_folder request (Dropbox allows up to 2000). */
  pageSize?: number;
  /** Retries on 429 / 5xx / network errors before giving up as 'unavailable' (default 2). */
  maxRetries?: number;
}

export interface DropboxDeps {
  fetch?: typeof fetch;
  /** Called after a token refresh with the new credentials. */
  onCredentialsChanged?: (next: RefreshedCredentials) => Promise<void> | void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}
