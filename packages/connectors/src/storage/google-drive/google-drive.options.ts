import type { RefreshedCredentials } from '../oauth.js';

export type { RefreshedCredentials };

/** How a merchant connects Google Drive (credentials from the OAuth flow in google-drive.oauth.ts). */
export interface GoogleDriveOptions {
  /** Id of the folder that is the connection's root. */
  rootFolderId: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  accessToken?: string;
  accessTokenExpiresAt?: string | Date | null;
  /** Drive API origin instead of https://www.googleapis.com/ (tests: the fake). */
  apiBaseUrl?: string;
  /** OAuth token endpoint instead of https://oauth2.googleapis.com/token (tests: the fake). */
  tokenUrl?: string;
  /** Files per files.list request (Drive allows up to 1000). */
  pageSize?: number;
  /** Retries on 429 / rate-limit 403 / 5xx / network errors before 'unavailable' (default 2). */
  maxRetries?: number;
}

export interface GoogleDriveDeps {
  onCredentialsChanged?: (next: RefreshedCredentials) => Promise<void> | void;
  sleep?: (ms: number) => Promise<void>;
}
