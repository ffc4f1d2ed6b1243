import type { EntityManager } from '@mikro-orm/postgresql';
import type { NotificationOutbox, OutboxMessage } from '../rules/notifications/outbox.service.js';

/** An email of the portal; `replyTo` is the buyer on a message to the seller. */
export type PortalEmail = Pick<
  OutboxMessage,
  'merchantId' | 'orderId' | 'recipient' | 'language' | 'subject' | 'html' | 'text' | 'dedupKey' | 'replyTo'
>;

/**
 * One-off emails of the portal (a new link, a buyer's message to the seller) through the rules
 * area's outbox: the row, its history event and its send job commit in the caller's transaction;
 * the outbox's worker sends it from the merchant's sender like every other notification.
 */
export class PortalMailer {
  constructor(private readonly outbox: Pick<NotificationOutbox, 'enqueueMany'>) {}

  /** Returns the notification id, or null when the dedup key was taken. */
  async enqueue(tx: EntityManager, mail: PortalEmail): Promise<string | null> {
    const created = await this.outbox.enqueueMany(tx, [
      {
        merchantId: mail.merchantId,
        orderId: mail.orderId,
        executionId: null,
        templateId: null,
        transport: 'email',
        recipient: mail.recipient,
        language: mail.language,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        dedupKey: mail.dedupKey,
        resendOf: null,
        replyTo: mail.replyTo ?? null,
        actor: 'portal',
      },
    ]);
    return created.get(mail.dedupKey) ?? null;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
