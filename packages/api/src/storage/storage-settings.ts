import type { OutboundPolicy } from '@handoff/connectors';
import type { Config } from '../config.js';
import { outboundPolicy } from '../security/outbound.js';

/** One OAuth app (client id/secret from config) and, for tests, where the provider's endpoints live. */
export interface OAuthAppSettings {
  clientId: string;
  clientSecret: string;
  /** Authorize page override (tests: the fake). */
  authorizeEndpoint?: string;
  /** Token endpoint override (tests: the fake). */
  tokenEndpoint?: string;
  /** API origin override handed to the provider (tests: the fake). */
  apiBaseUrl?: string;
}

/** What storage connections need from the configuration, read once. */
export interface StorageSettings {
  /** Absolute folders a merchant may connect as local storage (HANDOFF_STORAGE_ROOTS). */
  localRoots: string[];
  /** Where the OAuth providers send the merchant back: PUBLIC_URL + /oauth/storage/callback. */
  oauthRedirectUri: string;
  /** Where the callback sends the merchant afterwards (CONSOLE_URL). */
  consoleUrl: string;
  dropbox: OAuthAppSettings | null;
  googleDrive: OAuthAppSettings | null;
  /** Where merchant-given storage endpoints (Azure) may point. */
  outbound: OutboundPolicy;
}

export const OAUTH_CALLBACK_PATH = '/oauth/storage/callback';

export function storageSettings(config: Config): StorageSettings {
  const trim = (u: string | undefined) => u?.replace(/\/$/, '');
  const dropboxApi = trim(config.DROPBOX_API_URL);
  return {
    localRoots: config.HANDOFF_STORAGE_ROOTS,
    outbound: outboundPolicy(config),
    oauthRedirectUri: `${trim(config.PUBLIC_URL)}${OAUTH_CALLBACK_PATH}`,
    consoleUrl: config.CONSOLE_URL ?? `${trim(config.PORTAL_URL)}/merchant`,
    dropbox:
      config.DROPBOX_CLIENT_ID && config.DROPBOX_CLIENT_SECRET
        ? {
            clientId: config.DROPBOX_CLIENT_ID,
            clientSecret: config.DROPBOX_CLIENT_SECRET,
            authorizeEndpoint: config.DROPBOX_AUTHORIZE_URL,
            tokenEndpoint: dropboxApi ? `${dropboxApi}/oauth2/token` : undefined,
            apiBaseUrl: dropboxApi,
          }
        : null,
    googleDrive:
      config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET
        ? {
            clientId: config.GOOGLE_CLIENT_ID,
            clientSecret: config.GOOGLE_CLIENT_SECRET,
            authorizeEndpoint: config.GOOGLE_AUTHORIZE_URL,
            tokenEndpoint: config.GOOGLE_TOKEN_URL,
            apiBaseUrl: trim(config.GOOGLE_DRIVE_API_URL),
          }
        : null,
  };
}
