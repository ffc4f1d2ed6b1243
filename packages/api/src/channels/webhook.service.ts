import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookHeaders } from '@handoff/connectors';
import { HandoffError, notFound } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { isUuid } from '../db/uuid.js';
import type { ImportCounts, OrderImportService } from '../orders/order-import.service.js';
import { ChannelConnection } from './channel-connection.entity.js';
import type { ConnectorFactory } from './connector-factory.js';

export type WebhookResult = { status: 'processed'; counts: ImportCounts } | { status: 'duplicate' };

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
}
