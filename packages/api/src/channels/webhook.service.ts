import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookHeaders } from '@handoff/connectors';
import { HandoffError, notFound } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { isUuid } from '../db/uuid.js';
import type { ImportCounts, OrderImportService } from '../orders/order-import.service.js';
import { ChannelConnection } from './channel-connection.entity.js';
import { SyncRun } from './sync-run.entity.js';
import type { ConnectorFactory } from './connector-factory.js';

export type WebhookResult =
  { status: 'processed'; counts: ImportCounts } | { status: 'duplicate' } | { status: 'refused'; message: string };

const DISABLED_MESSAGE =
  'The connection is disabled in Handoff; this delivery was not imported. Enabling the connection resumes imports, and its next sync catches up.';

/**
 * Receives a channel's push: the signature is checked on the raw body before anything is stored;
 * the delivery id is recorded in the same transaction as the import, so a repeated delivery is
 * ignored and a failed one can be retried by the channel.
 */
export class WebhookService {
  constructor(
    private readonly clock: Clock,
    private readonly connectors: ConnectorFactory,
    private readonly importer: OrderImportService,
  ) {}

  async receive(
    em: EntityManager,
    connectionId: string,
    rawBody: Buffer,
    headers: WebhookHeaders,
  ): Promise<WebhookResult> {
    const connection = isUuid(connectionId) ? await em.findOne(ChannelConnection, { id: connectionId }) : null;
    if (!connection) throw notFound('Connection');
    const connector = await this.connectors.build(em, connection);
    if (!connector.verifyWebhook || !connector.parseWebhook) {
      throw new HandoffError('BAD_USER_INPUT', `${connection.kind} connections do not receive webhooks`);
    }
    if (!connector.verifyWebhook(rawBody, headers))
      throw new HandoffError('UNAUTHENTICATED', 'Invalid webhook signature');
    // Checked after the signature, so only the channel itself can add a line to the merchant's history.
    if (!connection.enabled) {
      await this.recordRefusal(em, connection, DISABLED_MESSAGE);
      return { status: 'refused', message: DISABLED_MESSAGE };
    }
    let delivery;
    try {
      delivery = connector.parseWebhook(rawBody, headers);
    } catch {
      throw new HandoffError('BAD_USER_INPUT', 'Unreadable webhook payload');
    }

    return em.transactional(async (tx) => {
      if (delivery.deliveryId) {
        const inserted = await tx
          .getConnection()
          .execute<{ delivery_id: string }[]>(
            'insert into webhook_delivery (connection_id, delivery_id, received_at) values (?, ?, ?) on conflict do nothing returning delivery_id',
            [connection.id, delivery.deliveryId.slice(0, 200), this.clock.now()],
            'all',
            tx.getTransactionContext(),
          );
        if (inserted.length === 0) return { status: 'duplicate' as const };
      }
      const counts = await this.importer.importBatch(
        tx,
        { connectionId: connection.id, merchantId: connection.merchant.id },
        delivery.orders,
        { source: 'webhook', actor: `webhook:${connection.kind}` },
      );
      return { status: 'processed' as const, counts };
    });
  }

  /** A refused delivery is a finished "webhook" run in the connection's sync history. */
  private async recordRefusal(em: EntityManager, connection: ChannelConnection, message: string): Promise<void> {
    const now = this.clock.now();
    em.create(SyncRun, {
      merchant: connection.merchant,
      connection,
      trigger: 'webhook',
      status: 'refused',
      startedAt: now,
      finishedAt: now,
      error: message,
    });
    await em.flush();
  }
}
