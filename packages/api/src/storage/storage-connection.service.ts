import type { EntityManager } from '@mikro-orm/postgresql';
import {
  createStorageProvider,
  dropboxOAuth,
  googleDriveOAuth,
  StorageError,
  type AzureBlobOptions,
  type AzureBlobStorageProvider,
  type OAuthFlow,
  type StorageEntry,
  type StorageProvider,
} from '@handoff/connectors';
import { conflict, HandoffError, invalidInput, notFound } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { ProductFile } from '../catalog/product-file.entity.js';
import { keysetPage } from '../db/keyset-page.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { Merchant } from '../merchants/merchant.entity.js';
import type { Keyring } from '../security/keyring.js';
import { requireOutboundUrl } from '../security/outbound.js';
import { confineLocalRoot, ensureMerchantFolders } from './local-root.js';
import { hashNonce, newNonce, OAUTH_STATE_TTL_MS, signState, verifyState } from './oauth-state.js';
import { StorageConnection, type DeliveryMode } from './storage-connection.entity.js';
import { storageFailure } from './storage-errors.js';
import {
  connectAzureSchema,
  connectLocalSchema,
  driveRoot,
  dropboxRoot,
  startOAuthSchema,
  updateConnectionSchema,
} from './storage-input.js';
import { StorageProviders, type ProviderForResult, type StorageOverrides } from './storage-providers.js';
import type { OAuthAppSettings, StorageSettings } from './storage-settings.js';

export type { ProviderForResult, StorageOverrides } from './storage-providers.js';

export type OAuthStorageKind = 'dropbox' | 'google-drive';

/** Kinds whose provider can mint a temporary URL, so `redirect` delivery is possible. */
const REDIRECT_KINDS = new Set(['azure-blob', 'dropbox']);

/** A merchant's storage connections: connecting, browsing, and the provider behind each one. */
export class StorageConnectionService {
  readonly providers: StorageProviders;

  constructor(
    private readonly keyring: Keyring,
    private readonly clock: Clock,
    readonly settings: StorageSettings,
    private readonly overrides: StorageOverrides = {},
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

  /**
   * Runs a provider call for a merchant-facing request: StorageErrors become HandoffErrors
   * (NOT_FOUND, STORAGE_UNAVAILABLE, STORAGE_UNAUTHORIZED), and refused credentials also mark the
   * connection `needs_reconnect`.
   */
  async call<T>(
    em: EntityManager,
    connection: StorageConnection,
    run: (provider: StorageProvider) => Promise<T>,
    what = 'File',
  ): Promise<T> {
    try {
      return await run(await this.providers.providerOf(em, connection));
    } catch (error) {
      if (error instanceof StorageError && error.reason === 'unauthorized') {
        await this.providers.markNeedsReconnect(em, connection);
      }
      throw storageFailure(error, what);
    }
  }

  async list(ctx: MerchantContext, first: number, after?: string | null) {
    return keysetPage(
      ctx.em,
      StorageConnection,
      { merchant: ctx.actor.merchantId },
      { key: 'createdAt', direction: 'asc', kind: 'date' },
      first,
      after,
    );
  }

  async get(ctx: MerchantContext, id: string): Promise<StorageConnection | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(StorageConnection, { id, merchant: ctx.actor.merchantId });
  }

  private async require(ctx: MerchantContext, id: string): Promise<StorageConnection> {
    const connection = await this.get(ctx, id);
    if (!connection) throw notFound('Storage connection');
    return connection;
  }

  /** Lists a folder of a connection ('' = its root). */
  async browse(ctx: MerchantContext, connection: StorageConnection, folder: string): Promise<StorageEntry[]> {
    if (connection.merchant.id !== ctx.actor.merchantId) throw notFound('Storage connection');
    const { connection: loaded } = await this.loadWithCredentials(ctx.em, connection);
    return this.call(ctx.em, loaded, (provider) => provider.list(folder), 'Folder');
  }

  /**
   * A local folder the merchant owns: inside its `<root>/<merchant id>` folder of an allowed root
   * (created here) or a folder the operator assigned to it. Always streamed (no URLs of its own).
   */
  async connectLocal(ctx: MerchantContext, input: { name: string; root: string }): Promise<StorageConnection> {
    const data = parseInput(connectLocalSchema, input);
    const merchantId = ctx.actor.merchantId;
    await ensureMerchantFolders(this.settings.localRoots, merchantId);
    const assigned = await this.providers.rootAssignments.pathsOf(ctx.em, merchantId);
    const root = await confineLocalRoot(data.root, this.settings.localRoots, { merchantId, assigned });
    return this.save(ctx, { kind: 'local', name: data.name, options: { root }, delivery: 'stream' }, null);
  }

  /** An Azure Blob container, checked with one listing before it is saved; the key is sealed. */
  async connectAzure(ctx: MerchantContext, input: Record<string, unknown>): Promise<StorageConnection> {
    const data = parseInput(connectAzureSchema, input);
    const options: Record<string, string> = { container: data.container };
    if (data.prefix) options.prefix = data.prefix;
    let credentials: { connectionString: string } | { accountKey: string };
    let providerOptions: AzureBlobOptions;
    const base = { container: data.container, prefix: data.prefix || undefined, outbound: this.settings.outbound };
    if (data.connectionString) {
      credentials = { connectionString: data.connectionString };
      providerOptions = { ...base, connectionString: data.connectionString, maxTries: 1 };
    } else {
      options.accountName = data.accountName!;
      if (data.endpoint) options.endpoint = data.endpoint;
      credentials = { accountKey: data.accountKey! };
      providerOptions = {
        ...base,
        accountName: data.accountName!,
        accountKey: data.accountKey!,
        endpoint: data.endpoint || undefined,
        maxTries: 1,
      };
    }
    await this.verifyAzure(providerOptions);
    return this.save(
      ctx,
      { kind: 'azure-blob', name: data.name, options, delivery: data.delivery },
      this.providers.seal(credentials),
    );
  }

  private async verifyAzure(options: AzureBlobOptions): Promise<void> {
    let provider: AzureBlobStorageProvider;
    try {
      provider = createStorageProvider({ kind: 'azure-blob', options }, this.overrides) as AzureBlobStorageProvider;
    } catch {
      throw invalidInput('The connection string or account details are not valid', 'connectionString');
    }
    // The endpoint is the merchant's to name: https on a public address only, before any key is sent.
    const field = 'connectionString' in options ? 'connectionString' : 'endpoint';
    await requireOutboundUrl(provider.serviceUrl, field, this.settings.outbound);
    try {
      await provider.list('');
    } catch (error) {
      if (error instanceof StorageError) {
        if (error.reason === 'unavailable') {
          throw new HandoffError('STORAGE_UNAVAILABLE', 'Azure did not answer; check the endpoint and try again');
        }
        if (error.reason === 'unauthorized') {
          throw invalidInput('Azure refused these credentials', 'connectionString');
        }
        throw invalidInput('The container (or prefix) does not exist in this storage account', 'container');
      }
      // The SDK throws plain errors for a connection string it cannot parse.
      throw invalidInput('The connection string or account details are not valid', 'connectionString');
    }
  }

  /**
   * Creates a connection waiting for consent and returns the provider's authorize URL. The state
   * is signed, expires after 15 minutes and is single-use (its nonce hash sits on the connection).
   */
  async startOAuth(
    ctx: MerchantContext,
    input: { kind: OAuthStorageKind; name: string; root?: string | null },
  ): Promise<{ authorizeUrl: string; storageConnection: StorageConnection }> {
    const data = parseInput(startOAuthSchema, { ...input, root: input.root ?? '' });
    const flow = this.flowFor(data.kind);
    const options: Record<string, string> =
      data.kind === 'dropbox'
        ? { root: parseInput(dropboxRoot, data.root) }
        : { rootFolderId: parseInput(driveRoot, data.root) };
    const nonce = newNonce();
    const connection = await this.save(
      ctx,
      {
        kind: data.kind,
        name: data.name,
        options: { ...options, oauthNonce: hashNonce(nonce) },
        delivery: 'stream',
        status: 'pending_authorization',
      },
      null,
    );
    const state = signState(this.keyring, {
      merchantId: ctx.actor.merchantId,
      connectionId: connection.id,
      nonce,
      expiresAt: ctx.clock.now().getTime() + OAUTH_STATE_TTL_MS,
    });
    return { authorizeUrl: flow.authorizeUrl({ state }), storageConnection: connection };
  }

  /**
   * The OAuth callback: checks the state (signature, expiry), consumes its nonce with one
   * conditional UPDATE (a replay finds nothing to consume), exchanges the code and stores the
   * tokens sealed. Any failure is a BAD_USER_INPUT and stores no tokens.
   */
  async completeOAuth(em: EntityManager, input: { code?: unknown; state?: unknown }): Promise<StorageConnection> {
    const refused = () => invalidInput('This authorization link is invalid, expired or was already used', 'state');
    const state = verifyState(this.keyring, input.state, this.clock.now());
    if (!state || !isUuid(state.connectionId) || !isUuid(state.merchantId)) throw refused();
    const consumed = await em.getConnection().execute<{ id: string; kind: string }[]>(
      `update "storage_connection" set "options" = "options" - 'oauthNonce'
        where "id" = ? and "merchant_id" = ? and "status" = 'pending_authorization'
          and "options"->>'oauthNonce' = ?
        returning "id", "kind"`,
      [state.connectionId, state.merchantId, hashNonce(state.nonce)],
      'all',
    );
    const row = consumed[0];
    if (!row || (row.kind !== 'dropbox' && row.kind !== 'google-drive')) throw refused();
    if (typeof input.code !== 'string' || input.code.length === 0 || input.code.length > 2048) {
      throw invalidInput('The provider did not return an authorization code', 'code');
    }
    let tokens;
    try {
      tokens = await this.flowFor(row.kind).exchangeCode(input.code);
    } catch {
      throw invalidInput('The provider refused the authorization code; start connecting again', 'code');
    }
    const credentials = this.providers.seal({
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken ?? undefined,
      accessTokenExpiresAt: tokens.expiresAt ? tokens.expiresAt.toISOString() : null,
    });
    await em.nativeUpdate(
      StorageConnection,
      { id: row.id, merchant: state.merchantId },
      { credentialsEncrypted: credentials, status: 'connected' },
    );
    this.providers.invalidate(row.id);
    const connection = await em.findOneOrFail(StorageConnection, { id: row.id }, { refresh: true });
    return connection;
  }

  private flowFor(kind: OAuthStorageKind): OAuthFlow {
    const app: OAuthAppSettings | null = kind === 'dropbox' ? this.settings.dropbox : this.settings.googleDrive;
    if (!app) {
      const label =
        kind === 'dropbox' ? 'Dropbox (DROPBOX_CLIENT_ID/SECRET)' : 'Google Drive (GOOGLE_CLIENT_ID/SECRET)';
      throw new HandoffError('NOT_CONFIGURED', `${label} is not configured on this server`);
    }
    const config = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      redirectUri: this.settings.oauthRedirectUri,
      authorizeEndpoint: app.authorizeEndpoint,
      tokenEndpoint: app.tokenEndpoint,
      fetch: this.overrides.fetch,
      now: () => this.clock.now(),
    };
    return kind === 'dropbox' ? dropboxOAuth(config) : googleDriveOAuth(config);
  }

  async update(
    ctx: MerchantContext,
    id: string,
    input: { name?: string | null; delivery?: string | null },
  ): Promise<StorageConnection> {
    const data = parseInput(updateConnectionSchema, input);
    const connection = await this.require(ctx, id);
    if (data.delivery === 'redirect' && !REDIRECT_KINDS.has(connection.kind)) {
      throw invalidInput('This storage cannot hand out temporary links; use stream delivery', 'delivery');
    }
    if (data.name) connection.name = data.name;
    if (data.delivery) connection.delivery = data.delivery;
    await ctx.em.flush();
    this.providers.invalidate(connection.id);
    return connection;
  }

  /** Refused with CONFLICT while product files use it, unless `force` (which unlinks them too). */
  async delete(ctx: MerchantContext, id: string, force: boolean): Promise<string> {
    const connection = await this.require(ctx, id);
    const used = await ctx.em.count(ProductFile, { storage: connection.id, merchant: ctx.actor.merchantId });
    if (used > 0 && !force) {
      throw conflict(`${used} product file(s) are linked from this storage; unlink them or delete with force`, 'id');
    }
    await ctx.em.nativeDelete(StorageConnection, { id: connection.id, merchant: ctx.actor.merchantId });
    this.providers.invalidate(connection.id);
    return connection.id;
  }

  /** The connection with its sealed credentials loaded (needed to build its provider). */
  async loadWithCredentials(
    em: EntityManager,
    connection: StorageConnection,
  ): Promise<{ connection: StorageConnection }> {
    await em.populate(connection, ['credentialsEncrypted']);
    return { connection };
  }

  private async save(
    ctx: MerchantContext,
    data: {
      kind: StorageConnection['kind'];
      name: string;
      options: Record<string, string>;
      delivery: DeliveryMode;
      status?: StorageConnection['status'];
    },
    credentialsEncrypted: string | null,
  ): Promise<StorageConnection> {
    const connection = ctx.em.create(StorageConnection, {
      ...data,
      credentialsEncrypted,
      merchant: ctx.em.getReference(Merchant, ctx.actor.merchantId),
      createdAt: ctx.clock.now(),
    });
    await ctx.em.flush();
    return connection;
  }
}
