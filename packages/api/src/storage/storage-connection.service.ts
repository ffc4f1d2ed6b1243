import type { EntityManager } from '@mikro-orm/postgresql';
import type { Keyring } from '../security/keyring.js';
import type { Clock } from '../clock.js';
import { StorageProviders, type ProviderForResult, type StorageOverrides } from './storage-providers.js';
import type { StorageSettings } from './storage-settings.js';

export type { ProviderForResult, StorageOverrides } from './storage-providers.js';

/** A merchant's storage connections: connecting, browsing, and the provider behind each one. */
export class StorageConnectionService {
  readonly providers: StorageProviders;

  constructor(
    private readonly keyring: Keyring,
    private readonly clock: Clock,
    readonly settings: StorageSettings,
    overrides: StorageOverrides = {},
  ) {
    this.providers = new StorageProviders(keyring, settings, overrides);
  }

  /**
   * The connection and its (cached) provider, for downloads and linking. Throws
   * `notFound('Storage connection')` for a missing, malformed or other merchant's id, and
   * StorageError('unauthorized') while the connection waits for OAuth consent.
   */
  providerFor(em: EntityManager, merchantId: string, storageConnectionId: string): Promise<ProviderForResult> {
    return this.providers.providerFor(em, merchantId, storageConnectionId);
  }
}
