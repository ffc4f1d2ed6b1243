import { ChannelError, type ChannelKind } from '@handoff/connectors';
import { conflict, invalidInput, notFound } from '@handoff/shared';
import { keysetPage } from '../db/keyset-page.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { checkChannelEndpoints } from './channel-endpoints.js';
import type { JobQueue } from '../jobs/queue.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from '../orders/order.entity.js';
import { ChannelConnection } from './channel-connection.entity.js';
import {
  createConnectionSchema,
  updateConnectionSchema,
  type CreateConnectionInput,
  type UpdateConnectionInput,
} from './connection-input.js';
import type { ConnectorFactory } from './connector-factory.js';
import { SyncRun } from './sync-run.entity.js';
import { enqueueSync } from './sync.job.js';

/** Kinds whose connector verifies pushed webhooks at `POST /webhooks/:connectionId`. */
const WEBHOOK_KINDS: ReadonlySet<ChannelKind> = new Set(['shopify', 'woocommerce', 'shopware']);

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
}

export type ConnectionHealth = 'NEVER_SYNCED' | 'OK' | 'FAILING' | 'DISABLED';

/** Merchant-facing management of channel connections. Credentials go in sealed and never come out. */
export class ConnectionService {
  constructor(
    private readonly connectors: ConnectorFactory,
    private readonly queue: JobQueue,
    /** PUBLIC_URL: webhook addresses shown to the merchant point here. */
    private readonly publicUrl: string,
  ) {}

  list(ctx: MerchantContext, first: number, after?: string | null) {
    return keysetPage(
      ctx.em,
      ChannelConnection,
      { merchant: ctx.actor.merchantId },
      { key: 'createdAt', direction: 'desc', kind: 'date' },
      first,
      after,
    );
  }

  async get(ctx: MerchantContext, id: string): Promise<ChannelConnection | null> {
    if (!isUuid(id)) return null;
    return ctx.em.findOne(ChannelConnection, { id, merchant: ctx.actor.merchantId });
  }

  async require(ctx: MerchantContext, id: string): Promise<ChannelConnection> {
    const connection = await this.get(ctx, id);
    if (!connection) throw notFound('Channel connection');
    return connection;
  }

  async create(ctx: MerchantContext, input: CreateConnectionInput): Promise<ChannelConnection> {
    const data = parseInput(createConnectionSchema, withoutNulls(input));
    await checkChannelEndpoints(data.settings, this.connectors.outbound);
    const connection = ctx.em.create(ChannelConnection, {
      merchant: ctx.em.getReference(Merchant, ctx.actor.merchantId),
      kind: data.kind,
      name: data.name,
      settings: data.settings,
      credentialsEncrypted: this.sealOrNull(data.credentials),
      schedule: data.schedule,
      enabled: data.enabled,
      createdAt: ctx.clock.now(),
    });
    await ctx.em.flush();
    return connection;
  }

  async update(ctx: MerchantContext, id: string, input: UpdateConnectionInput): Promise<ChannelConnection> {
    const data = parseInput(updateConnectionSchema, withoutNulls(input));
    if (data.settings) await checkChannelEndpoints(data.settings, this.connectors.outbound);
    const connection = await this.require(ctx, id);
    const { credentials, ...rest } = data;
    ctx.em.assign(connection, rest);
    // The cursor stays: new credentials for the same shop resume where the last run stopped.
    if (credentials) connection.credentialsEncrypted = this.sealOrNull(credentials);
    await ctx.em.flush();
    return connection;
  }

  /** Refused while orders reference the connection: deleting it would cascade to them and their downloads. */
  async delete(ctx: MerchantContext, id: string): Promise<string> {
    const connection = await this.require(ctx, id);
    if ((await ctx.em.count(Order, { connection: connection.id, merchant: ctx.actor.merchantId })) > 0) {
      throw conflict('The connection has imported orders; disable it instead of deleting it', 'id');
    }
    await ctx.em.remove(connection).flush();
    return id;
  }

  /** One authenticated call to the channel. Messages are the connector's, with any credential value masked. */
  async test(ctx: MerchantContext, id: string): Promise<ConnectionTestResult> {
    const connection = await this.require(ctx, id);
    try {
      const connector = await this.connectors.build(ctx.em, connection);
      await connector.testConnection();
      return { ok: true, message: 'Connected' };
    } catch (error) {
      const secrets = Object.values(this.connectors.readCredentials(connection));
      const raw =
        error instanceof ChannelError ? error.message : `The channel could not be reached (${errorName(error)})`;
      return { ok: false, message: mask(raw, secrets).slice(0, 500) };
    }
  }

  /** Queues a manual sync; false when one is already queued (the sync queue's stately policy). */
  async syncNow(ctx: MerchantContext, id: string): Promise<boolean> {
    const connection = await this.require(ctx, id);
    if (connection.kind === 'generic') {
      throw invalidInput('Generic connections receive orders through importOrders or a CSV upload', 'id');
    }
    if (!connection.enabled) throw invalidInput('The connection is disabled', 'id');
    return (await enqueueSync(this.queue, { connectionId: connection.id, trigger: 'manual' })) !== null;
  }

  syncRuns(ctx: MerchantContext, connectionId: string, first: number, after?: string | null) {
    return keysetPage(
      ctx.em,
      SyncRun,
      { connection: connectionId, merchant: ctx.actor.merchantId },
      { key: 'startedAt', direction: 'desc', kind: 'date' },
      first,
      after,
    );
  }

  webhookUrl(connection: ChannelConnection): string | null {
    return WEBHOOK_KINDS.has(connection.kind)
      ? `${this.publicUrl.replace(/\/+$/, '')}/webhooks/${connection.id}`
      : null;
  }

  health(connection: ChannelConnection, lastRun: SyncRun | null): ConnectionHealth {
    if (!connection.enabled) return 'DISABLED';
    // Pushed orders: nothing to sync, nothing to fail.
    if (connection.kind === 'generic') return 'OK';
    if (!lastRun) return 'NEVER_SYNCED';
    return lastRun.status === 'failed' ? 'FAILING' : 'OK';
  }

  private sealOrNull(credentials: Record<string, string> | undefined): string | null {
    return credentials && Object.keys(credentials).length ? this.connectors.seal(credentials) : null;
  }
}

/** GraphQL sends null for omitted nullable inputs; the schemas treat absent and null alike. */
function withoutNulls<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined)) as T;
}

function errorName(error: unknown): string {
  const cause = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.name) : 'error';
  return String(cause);
}

function mask(message: string, secrets: string[]): string {
  let out = message;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}
