import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationError, type ChannelError } from '@handoff/connectors';
import { notFound } from '@handoff/shared';
import { ChannelConnection } from '../../channels/channel-connection.entity.js';
import type { ConnectorFactory } from '../../channels/connector-factory.js';
import type { Clock } from '../../clock.js';
import { isUuid } from '../../db/uuid.js';
import type { MerchantContext } from '../../graphql/request-context.js';
import type { JobQueue } from '../../jobs/queue.js';
import { Merchant } from '../../merchants/merchant.entity.js';
import { OrderEvent } from '../../orders/order-event.entity.js';
import { Order } from '../../orders/order.entity.js';
import type { PortalCodeService } from '../../portal/portal-code.service.js';
import type { ActionContext, ActionOutcome } from '../operation.js';
import { Template } from '../template.entity.js';
import type { TemplateService } from '../templates/template.service.js';
import { Notification, type NotificationTransportKind } from '../notification.entity.js';
import type { NotifySettings } from './notify-settings.js';
import type { MailTransports } from './transports.js';

export const SEND_NOTIFICATION_QUEUE = 'send-notification';
export const SWEEP_NOTIFICATIONS_QUEUE = 'sweep-notifications';

/** A claimed row that a worker died holding is free again after this long. */
const CLAIM_LEASE_MS = 5 * 60_000;
/** A pending row whose retry is this overdue has lost its job (retries exhausted): the sweep re-enqueues it. */
const SWEEP_GRACE_MS = 10 * 60_000;

export type SendResult = 'sent' | 'failed' | 'retry' | 'skipped';

/**
 * The outbox: rows are written in the rule run's transaction together with their send job; a
 * worker claims a row with a conditional UPDATE, sends it, and records the outcome and an order
 * event. Transient failures go back to `pending` with a backoff; permanent ones end `failed`.
 */
export class NotificationOutbox {
  constructor(
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    private readonly templates: TemplateService,
    private readonly portal: PortalCodeService,
    private readonly transports: MailTransports,
    private readonly connectors: ConnectorFactory,
    private readonly settings: NotifySettings,
  ) {}

  /** The send_notification action: render now, store the row and its job in the run's transaction. */
  async queueForRule(
    ctx: ActionContext,
    args: { templateId: string; transport: 'email' | 'channel' | 'email_then_channel' },
  ): Promise<ActionOutcome> {
    const { em, order } = ctx;
    const template = await em.findOne(Template, { id: args.templateId, merchant: ctx.merchantId });
    if (!template) throw new Error('the template of this action no longer exists');
    const route = await this.route(em, order, args.transport);
    if (!route) return { status: 'skipped', detail: `no way to reach the buyer (${args.transport})` };
    const link = await this.portal.ensurePortalCode(em, { id: order.id, merchantId: ctx.merchantId });
    const rendered = await this.templates.renderFor(em, template, order, link.url);
    const dedupKey = `rule:${ctx.executionId}:${ctx.actionIndex}`;
    const id = await this.insert(em, {
      merchantId: ctx.merchantId,
      orderId: order.id,
      executionId: ctx.executionId,
      templateId: template.id,
      transport: route.transport,
      recipient: route.recipient,
      ...rendered,
      dedupKey,
      resendOf: null,
      actor: ctx.actor,
    });
    if (!id) return { status: 'skipped', detail: 'already queued', dedupKey };
    return {
      status: 'done',
      detail: `${route.transport === 'email' ? 'email' : 'channel message'} queued in ${rendered.language}`,
      notificationId: id,
    };
  }

  /** A new notification with the same content and a new dedup key: the merchant's "send again". */
  async resend(ctx: MerchantContext, notificationId: string): Promise<Notification> {
    const original = isUuid(notificationId)
      ? await ctx.em.findOne(Notification, { id: notificationId, merchant: ctx.actor.merchantId })
      : null;
    if (!original) throw notFound('Notification');
    const id = await ctx.em.transactional(async (tx) => {
      const order = await tx.findOneOrFail(Order, { id: original.order.id });
      let { subject, html, text, language } = original;
      // Re-render when the template still exists, so counts and the portal link are current.
      const template = original.template ? await tx.findOne(Template, { id: original.template.id }) : null;
      if (template) {
        const link = await this.portal.ensurePortalCode(tx, { id: order.id, merchantId: ctx.actor.merchantId });
        ({ subject, html, text, language } = await this.templates.renderFor(tx, template, order, link.url, language));
      }
      const recipient = original.transport === 'email' ? (order.buyerEmail ?? original.recipient) : original.recipient;
      return this.insert(tx, {
        merchantId: ctx.actor.merchantId,
        orderId: order.id,
        executionId: null,
        templateId: template?.id ?? null,
        transport: original.transport,
        recipient,
        language,
        subject,
        html,
        text,
        dedupKey: `resend:${randomUUID()}`,
        resendOf: original.id,
        actor: ctx.actor.name,
      });
    });
    return ctx.em.findOneOrFail(Notification, { id: id! });
  }

  /**
   * The send job. Returns what happened; throws only to make pg-boss retry (a transient failure),
   * after the row is back to `pending` with its next attempt time.
   */
  async send(em: EntityManager, notificationId: string): Promise<SendResult> {
    const now = this.clock.now();
    const claimed = await em.getConnection().execute<{ id: string }[]>(
      `update notification set status = 'sending', attempts = attempts + 1, claimed_at = ?, updated_at = ?
         where id = ? and (status = 'pending' or (status = 'sending' and claimed_at < ?)) returning id`,
      [now, now, notificationId, new Date(now.getTime() - CLAIM_LEASE_MS)],
    );
    if (claimed.length === 0) return 'skipped';
    const row = await em.findOneOrFail(Notification, { id: notificationId }, { populate: ['order'], refresh: true });
    try {
      const providerMessageId = await this.deliver(em, row);
      const sentAt = this.clock.now();
      await em.transactional(async (tx) => {
        await tx.nativeUpdate(
          Notification,
          { id: row.id, status: 'sending' },
          { status: 'sent', sentAt, providerMessageId, lastError: null, nextAttemptAt: null, updatedAt: sentAt },
        );
        this.event(tx, row, 'notification_sent', { providerMessageId, attempts: row.attempts });
      });
      return 'sent';
    } catch (error) {
      const failure = classify(error);
      const at = this.clock.now();
      if (failure.retryable) {
        const delayMs = this.settings.retryDelaySeconds * 1000 * 2 ** Math.min(row.attempts - 1, 16);
        const nextAttemptAt = new Date(at.getTime() + delayMs);
        await em.transactional(async (tx) => {
          await tx.nativeUpdate(
            Notification,
            { id: row.id, status: 'sending' },
            { status: 'pending', lastError: failure.message, nextAttemptAt, updatedAt: at },
          );
          this.event(tx, row, 'notification_failed', {
            error: failure.message,
            attempts: row.attempts,
            retrying: true,
            nextAttemptAt: nextAttemptAt.toISOString(),
          });
        });
        throw new Error(`notification ${row.id}: ${failure.message} (will retry)`, { cause: error });
      }
      await em.transactional(async (tx) => {
        await tx.nativeUpdate(
          Notification,
          { id: row.id, status: 'sending' },
          { status: 'failed', lastError: failure.message, nextAttemptAt: null, updatedAt: at },
        );
        this.event(tx, row, 'notification_failed', { error: failure.message, attempts: row.attempts, retrying: false });
      });
      return 'failed';
    }
  }

  /** Re-enqueues pending rows whose retries ran out or whose worker died holding them. */
  async sweep(em: EntityManager): Promise<number> {
    const now = this.clock.now().getTime();
    const rows = await em.find(
      Notification,
      {
        $or: [
          { status: 'pending', nextAttemptAt: { $lt: new Date(now - SWEEP_GRACE_MS) } },
          { status: 'sending', claimedAt: { $lt: new Date(now - CLAIM_LEASE_MS - SWEEP_GRACE_MS) } },
        ],
      },
      { fields: ['id'], limit: 500 },
    );
    for (const { id } of rows)
      await this.queue.send(
        SEND_NOTIFICATION_QUEUE,
        { notificationId: id },
        { singletonKey: `sweep:${id}`, ...this.retry() },
      );
    return rows.length;
  }

  private retry() {
    return { retryLimit: this.settings.retryLimit, retryDelay: this.settings.retryDelaySeconds, retryBackoff: true };
  }

  private async route(
    em: EntityManager,
    order: Order,
    transport: 'email' | 'channel' | 'email_then_channel',
  ): Promise<{ transport: NotificationTransportKind; recipient: string } | null> {
    if (transport !== 'channel' && order.buyerEmail) return { transport: 'email', recipient: order.buyerEmail };
    if (transport !== 'email' && (await this.channelCanMessage(em, order.connection.id)))
      return { transport: 'channel', recipient: order.externalId };
    return null;
  }

  async channelCanMessage(em: EntityManager, connectionId: string): Promise<boolean> {
    const connection = await em.findOne(ChannelConnection, { id: connectionId });
    if (!connection) return false;
    try {
      return typeof (await this.connectors.build(em, connection)).sendMessage === 'function';
    } catch {
      return false;
    }
  }

  private async insert(
    em: EntityManager,
    n: {
      merchantId: string;
      orderId: string;
      executionId: string | null;
      templateId: string | null;
      transport: NotificationTransportKind;
      recipient: string;
      language: string;
      subject: string;
      html: string;
      text: string;
      dedupKey: string;
      resendOf: string | null;
      actor: string;
    },
  ): Promise<string | null> {
    const id = randomUUID();
    const now = this.clock.now();
    const inserted = await em.getConnection().execute<{ id: string }[]>(
      `insert into notification (id, merchant_id, order_id, execution_id, template_id, transport, recipient, language,
           subject, html, text, dedup_key, status, attempts, resend_of, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
         on conflict (dedup_key) do nothing returning id`,
      [
        id,
        n.merchantId,
        n.orderId,
        n.executionId,
        n.templateId,
        n.transport,
        n.recipient.slice(0, 320),
        n.language,
        n.subject,
        n.html,
        n.text,
        n.dedupKey,
        n.resendOf,
        now,
        now,
      ],
      'all',
      em.getTransactionContext(),
    );
    if (inserted.length === 0) return null;
    em.create(OrderEvent, {
      merchant: n.merchantId,
      order: n.orderId,
      type: 'notification_queued',
      source: 'system',
      actor: n.actor,
      data: {
        notificationId: id,
        transport: n.transport,
        recipient: n.recipient,
        subject: n.subject,
        resendOf: n.resendOf,
      },
      createdAt: now,
    });
    await em.flush();
    await this.queue.send(SEND_NOTIFICATION_QUEUE, { notificationId: id }, this.retry(), em);
    return id;
  }

  private async deliver(em: EntityManager, row: Notification): Promise<string> {
    if (row.transport === 'channel') {
      const connection = await em.findOneOrFail(ChannelConnection, { id: row.order.connection.id });
      const connector = await this.connectors.build(em, connection);
      if (!connector.sendMessage) throw new NotificationError('the channel cannot message buyers', false);
      return connector.sendMessage({ externalId: row.order.externalId }, row.text);
    }
    const merchant = await em.findOneOrFail(Merchant, { id: row.merchant.id });
    const sender = await this.transports.senderFor(em, merchant.id);
    const fromName = (sender.fromName ?? merchant.name).replace(/["\\\r\n]/g, '');
    const sent = await sender.transport.send({
      from: `"${fromName}" <${sender.fromAddress}>`,
      to: row.recipient,
      replyTo: row.replyTo ?? sender.replyTo ?? merchant.contactEmail ?? undefined,
      subject: row.subject,
      html: row.html,
      text: row.text,
      messageId: this.messageId(row.dedupKey),
      headers: { 'X-Handoff-Notification': row.id, 'Auto-Submitted': 'auto-generated' },
    });
    if (sent.rejected.includes(row.recipient))
      throw new NotificationError(`the server refused ${row.recipient}`, false);
    return sent.messageId;
  }

  /** Same dedup key, same Message-ID: a resend after a crash is recognisable as the same message. */
  messageId(dedupKey: string): string {
    return `<${createHash('sha256').update(dedupKey).digest('hex').slice(0, 40)}@${this.settings.messageIdDomain}>`;
  }

  private event(em: EntityManager, row: Notification, type: string, data: Record<string, unknown>) {
    em.create(OrderEvent, {
      merchant: row.merchant.id,
      order: row.order.id,
      type,
      source: 'system',
      actor: 'notifications',
      data: { notificationId: row.id, transport: row.transport, recipient: row.recipient, ...data },
      createdAt: this.clock.now(),
    });
  }
}

function classify(error: unknown): { retryable: boolean; message: string } {
  if (error instanceof NotificationError) return { retryable: error.retryable, message: error.message };
  const channel = error as Partial<ChannelError>;
  if (channel?.name === 'ChannelError')
    return { retryable: Boolean(channel.retryable), message: String(channel.message) };
  return { retryable: true, message: (error as Error)?.message ?? String(error) };
}
