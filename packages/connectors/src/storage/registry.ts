import { AzureBlobStorageProvider } from './azure-blob/azure-blob.provider.js';
import type { AzureBlobOptions } from './azure-blob/azure-blob.options.js';
import { DropboxStorageProvider } from './dropbox/dropbox.provider.js';
import type { DropboxOptions } from './dropbox/dropbox.options.js';
import { GoogleDriveStorageProvider } from './google-drive/google-drive.provider.js';
import type { GoogleDriveOptions } from './google-drive/google-drive.options.js';
import { LocalStorageProvider, type LocalStorageOptions } from './local/local.provider.js';
import type { RefreshedCredentials } from './oauth.js';
import type { StorageProvider } from './storage-provider.js';

export const STORAGE_KINDS = ['local', 'azure-blob', 'dropbox', 'google-drive'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

/** What the hub stores per StorageConnection (secrets decrypted), chosen by `kind`. */
export type StorageConfig =
  | { kind: 'local'; options: LocalStorageOptions }
  | { kind: 'azure-blob'; options: AzureBlobOptions }
  | { kind: 'dropbox'; options: DropboxOptions }
  | { kind: 'google-drive'; options: GoogleDriveOptions };

export interface StorageDeps {
  /** Used by Dropbox (Azure and Drive bring their own HTTP clients). */
  fetch?: typeof fetch;
  /** Dropbox and Drive call it after refreshing an access token; store the new credentials. */
  onCredentialsChanged?: (next: RefreshedCredentials) => Promise<void> | void;
  /** Waits between retries; tests inject a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

/** Builds the provider for one storage connection. */
export function createStorageProvider(config: StorageConfig, deps: StorageDeps = {}): StorageProvider {
  switch (config.kind) {
    case 'local':
      return new LocalStorageProvider(config.options);
    case 'azure-blob':
      return new AzureBlobStorageProvider(config.options);
    case 'dropbox':
      return new DropboxStorageProvider(config.options, deps);
    case 'google-drive':
      return new GoogleDriveStorageProvider(config.options, deps);
    default: {
      const unknown: never = config;
      throw new Error(`unknown storage kind ${JSON.stringify((unknown as { kind: unknown }).kind)}`);
    }
  }
}
