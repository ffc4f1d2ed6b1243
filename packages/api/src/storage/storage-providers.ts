import type { EntityManager } from '@mikro-orm/postgresql';
import {
  createStorageProvider,
  StorageError,
  type RefreshedCredentials,
  type StorageConfig,
  type StorageProvider,
} from '@handoff/connectors';
import { notFound } from '@handoff/shared';
import { isUuid } from '../db/uuid.js';
import type { Keyring } from '../security/keyring.js';
import { confineLocalRoot } from './local-root.js';
import { StorageConnection } from './storage-connection.entity.js';
import { StorageRootAssignments } from './storage-root-assignments.js';
import type { StorageSettings } from './storage-settings.js';

/** What credentialsEncrypted holds once decrypted (the secret half of the provider options). */
export interface StorageCredentials {
  connectionString?: string;
  accountKey?: string;
  accessToken?: string;
  refreshToken?: string;
  accessTokenExpiresAt?: string | null;
}

/** Test seams for the providers (fast retries, a fetch of their own). */
export interface StorageOverrides {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface ProviderForResult {
  connection: StorageConnection;
  provider: StorageProvider;
}

interface CacheEntry {
  fingerprint: string;
  provider: StorageProvider;
}

/** Providers kept per process; beyond this the oldest built is dropped (a rebuild is cheap). */
const MAX_CACHED_PROVIDERS = 500;

/**
 * Builds and caches the StorageProvider of a merchant's storage connection. The cache is keyed by
 * connection id and checked against a fingerprint of what the provider was built from (kind,
 * options, sealed credentials, status), so any change written by any process — an update, a
 * reconnect, a token refresh — makes the next call rebuild it.
 */
export class StorageProviders {
  private readonly cache = new Map<string, CacheEntry>();
  readonly rootAssignments: StorageRootAssignments;

  constructor(
    private readonly keyring: Keyring,
    private readonly settings: StorageSettings,
    private readonly overrides: StorageOverrides = {},
  ) {
    this.rootAssignments = new StorageRootAssignments(settings.localRoots);
  }

  /**
   * The connection and its provider. A missing, malformed or other merchant's id is
   * `notFound('Storage connection')`; a connection still waiting for OAuth consent, or a local one
   * whose root is not (or no longer) the merchant's, throws StorageError (unauthorized / unavailable).
   */
  async providerFor(em: EntityManager, merchantId: string, storageConnectionId: string): Promise<ProviderForResult> {
    if (!isUuid(storageConnectionId) || !isUuid(merchantId)) throw notFound('Storage connection');
    const connection = await em.findOne(
      StorageConnection,
      { id: storageConnectionId, merchant: merchantId },
      { populate: ['credentialsEncrypted'] },
    );
    if (!connection) throw notFound('Storage connection');
    return { connection, provider: await this.providerOf(em, connection) };
  }

  /** The provider of an already loaded connection (its credentialsEncrypted populated). */
  async providerOf(em: EntityManager, connection: StorageConnection): Promise<StorageProvider> {
    if (connection.status === 'pending_authorization') {
      throw new StorageError('unauthorized', 'the storage connection has not been authorized yet');
    }
    // Checked on every access, cached provider or not: a folder the merchant does not own never serves.
    const localRoot = connection.kind === 'local' ? await this.ownedLocalRoot(em, connection) : null;
    const fingerprint = fingerprintOf(connection);
    const cached = this.cache.get(connection.id);
    if (cached && cached.fingerprint === fingerprint + localRoot) return cached.provider;
    const provider = await this.build(em, connection, localRoot);
    this.cache.delete(connection.id);
    this.cache.set(connection.id, { fingerprint: fingerprint + localRoot, provider });
    if (this.cache.size > MAX_CACHED_PROVIDERS) this.cache.delete(this.cache.keys().next().value!);
    return provider;
  }

  /** Forgets the built provider (after an update, reconnect or delete). */
  invalidate(connectionId: string): void {
    this.cache.delete(connectionId);
  }

  readCredentials(connection: StorageConnection): StorageCredentials {
    return connection.credentialsEncrypted
      ? this.keyring.decryptJson<StorageCredentials>(connection.credentialsEncrypted)
      : {};
  }

  seal(credentials: StorageCredentials): string {
    return this.keyring.encryptJson(credentials);
  }

  /** Remembers that the provider refused our credentials, so the console can ask for a reconnect. */
  async markNeedsReconnect(em: EntityManager, connection: StorageConnection): Promise<void> {
    await em
      .fork()
      .nativeUpdate(StorageConnection, { id: connection.id, status: 'connected' }, { status: 'needs_reconnect' });
    connection.status = 'needs_reconnect';
    this.invalidate(connection.id);
  }

  /**
   * The real root of a local connection if it still belongs to the connection's merchant (its own
   * `<root>/<merchant id>` folder or an operator assignment); StorageError('unavailable') otherwise.
   */
  private async ownedLocalRoot(em: EntityManager, connection: StorageConnection): Promise<string> {
    const merchantId = connection.merchant.id;
    try {
      const assigned = await this.rootAssignments.pathsOf(em, merchantId);
      return await confineLocalRoot(connection.options.root ?? '', this.settings.localRoots, { merchantId, assigned });
    } catch {
      throw new StorageError('unavailable', 'the local root is missing or not this merchant’s');
    }
  }

  /** Builds a provider from stored options and decrypted credentials, without caching. */
  async build(
    em: EntityManager,
    connection: StorageConnection,
    localRoot: string | null = null,
  ): Promise<StorageProvider> {
    let credentials = this.readCredentials(connection);
    const id = connection.id;
    const onCredentialsChanged = async (next: RefreshedCredentials) => {
      credentials = {
        ...credentials,
        accessToken: next.accessToken,
        refreshToken: next.refreshToken ?? credentials.refreshToken,
        accessTokenExpiresAt: next.expiresAt ? next.expiresAt.toISOString() : null,
      };
      const sealed = this.seal(credentials);
      // A fork outside any transaction of the caller: a refreshed token must be kept even if it rolls back.
      await em.fork().nativeUpdate(StorageConnection, { id }, { credentialsEncrypted: sealed });
      const entry = this.cache.get(id);
      if (entry && entry.provider === provider) {
        entry.fingerprint = fingerprintOf({ ...connection, credentialsEncrypted: sealed }) + localRoot;
      }
    };
    const config = await this.configOf(em, connection, credentials, localRoot);
    const provider = createStorageProvider(config, { ...this.overrides, onCredentialsChanged });
    return provider;
  }

  private async configOf(
    em: EntityManager,
    connection: StorageConnection,
    credentials: StorageCredentials,
    localRoot: string | null,
  ): Promise<StorageConfig> {
    const options = connection.options;
    switch (connection.kind) {
      case 'local':
        return { kind: 'local', options: { root: localRoot ?? (await this.ownedLocalRoot(em, connection)) } };
      case 'azure-blob': {
        const base = {
          container: options.container ?? '',
          prefix: options.prefix || undefined,
          outbound: this.settings.outbound,
        };
        if (credentials.connectionString) {
          return { kind: 'azure-blob', options: { ...base, connectionString: credentials.connectionString } };
        }
        return {
          kind: 'azure-blob',
          options: {
            ...base,
            accountName: options.accountName ?? '',
            accountKey: credentials.accountKey ?? '',
            endpoint: options.endpoint || undefined,
          },
        };
      }
      case 'dropbox': {
        const app = this.settings.dropbox;
        return {
          kind: 'dropbox',
          options: {
            root: options.root ?? '',
            accessToken: credentials.accessToken,
            accessTokenExpiresAt: credentials.accessTokenExpiresAt ?? null,
            refreshToken: credentials.refreshToken,
            clientId: app?.clientId,
            clientSecret: app?.clientSecret,
            apiBaseUrl: app?.apiBaseUrl,
          },
        };
      }
      case 'google-drive': {
        const app = this.settings.googleDrive;
        if (!app || !credentials.refreshToken) {
          throw new StorageError('unauthorized', 'Google Drive is not configured or the connection has no token');
        }
        return {
          kind: 'google-drive',
          options: {
            rootFolderId: options.rootFolderId ?? '',
            clientId: app.clientId,
            clientSecret: app.clientSecret,
            refreshToken: credentials.refreshToken,
            accessToken: credentials.accessToken,
            accessTokenExpiresAt: credentials.accessTokenExpiresAt ?? null,
            apiBaseUrl: app.apiBaseUrl,
            tokenUrl: app.tokenEndpoint,
          },
        };
      }
      default:
        throw new StorageError('unavailable', `unknown storage kind ${String(connection.kind)}`);
    }
  }
}

function fingerprintOf(
  connection: Pick<StorageConnection, 'kind' | 'options' | 'credentialsEncrypted' | 'status'>,
): string {
  return JSON.stringify([
    connection.kind,
    connection.options,
    connection.credentialsEncrypted ?? '',
    connection.status,
  ]);
}
