import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import type { JobQueue } from '../jobs/queue.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { Notification } from '../rules/notification.entity.js';
import { SEND_NOTIFICATION_QUEUE } from '../rules/notifications/outbox.service.js';
import type { NotifySettings } from '../rules/notifications/notify-settings.js';

export interface PortalEmail {
  merchantId: string;
  orderId: string;
  recipient: string;
  language: string;
  subject: string;
  html: string;
  text: string;
  /** Unique in the outbox: a second message with the same key is not queued. */
  dedupKey: string;
  /** Reply-To of this message (the buyer, on a message to the seller). */
  replyTo?: string | null;
}

/**
 * One-off emails of the portal (a new link, a buyer's message to the seller) through the rules
 * area's outbox: the row, its history event and its send job commit in the caller's transaction;
 * the outbox's worker sends it from the merchant's sender like every other notification.
 */
export class PortalMailer {
  constructor(
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    private readonly settings: NotifySettings,
  ) {}

  /** Returns the notification id, or null when the dedup key was taken. */
  async enqueue(tx: EntityManager, mail: PortalEmail): Promise<string | null> {
    const id = randomUUID();
    const now = this.clock.now();
    const inserted = await tx
      .createQueryBuilder(Notification)
      .insert({
        id,
        merchant: mail.merchantId,
        order: mail.orderId,
        transport: 'email',
        recipient: mail.recipient.slice(0, 320),
        language: mail.language.slice(0, 20),
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        dedupKey: mail.dedupKey,
        replyTo: mail.replyTo ?? null,
        status: 'pending',
        attempts: 0,
        createdAt: now,
        updatedAt: now,
      })
      .onConflict('dedup_key')
      .ignore()
      .execute('run');
    if (!inserted.affectedRows) return null;
    tx.create(OrderEvent, {
      merchant: mail.merchantId,
      order: mail.orderId,
      type: 'notification_queued',
      source: 'system',
      actor: 'portal',
      data: { notificationId: id, transport: 'email', recipient: mail.recipient, subject: mail.subject },
      createdAt: now,
    });
    await tx.flush();
    await this.queue.send(
      SEND_NOTIFICATION_QUEUE,
      { notificationId: id },
      { retryLimit: this.settings.retryLimit, retryDelay: this.settings.retryDelaySeconds, retryBackoff: true },
      tx,
    );
    return id;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
