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
import { insertOrderEvents } from '../../orders/order-event-rows.js';
import { Order } from '../../orders/order.entity.js';
import { fillPortalCodes, markedOrders, markPortalCodes } from '../../portal/portal-code-marks.js';
import type { PortalCodeService } from '../../portal/portal-code.service.js';
import { Template } from '../template.entity.js';
import type { TemplateService } from '../templates/template.service.js';
import { Notification } from '../notification.entity.js';
import type { NotifySettings } from './notify-settings.js';
import { prepareDelivery, type Deliver, type DeliveryDeps } from './outbox-delivery.js';
import {
  claimNotifications,
  insertNotifications,
  pgText,
  recordOutcomes,
  renewClaim,
  stillSending,
  type ClaimedRow,
  type NewNotificationRow,
  type OutboxMessage,
  type Outcome,
} from './outbox-store.js';
import { settleBounded } from './settle-bounded.js';
import type { MailTransports } from './transports.js';
import { safeErrorMessage } from '../../db/driver-error.js';

export const SEND_NOTIFICATION_QUEUE = 'send-notification';
export const SWEEP_NOTIFICATIONS_QUEUE = 'sweep-notifications';

/** A pending row whose retry is this overdue has lost its job (retries exhausted): the sweep re-enqueues it. */
const SWEEP_GRACE_MS = 10 * 60_000;
/** The sweep's schedule (rules.jobs.ts): one sweep job per set of rows and interval. */
const SWEEP_INTERVAL_SECONDS = 300;
const SWEEP_LIMIT = 5_000;
/** Rows per insert, per send job and per claim: statements and jobs stay a bounded size. */
const BATCH_SIZE = 500;
/** Deliveries of one batch in flight at once (the pooled SMTP transport queues behind its connections). */
const DELIVERY_CONCURRENCY = 50;
/** Column limits of the notification and order_event tables. */
const MAX_DEDUP_KEY = 300;
const MAX_ADDRESS = 320;
const MAX_LANGUAGE = 20;
const MAX_ACTOR = 200;

export type SendResult = 'sent' | 'failed' | 'retry' | 'skipped';
export type { OutboxMessage };

/** The send job's payload; `notificationId` is what jobs queued before batching carry. */
export interface SendJob {
  notificationIds?: unknown;
  notificationId?: unknown;
}

/** The ids of a send job, whatever its shape; anything that is not a string is dropped. */
export function sendJobIds(data: SendJob | null | undefined): string[] {
  const ids = Array.isArray(data?.notificationIds) ? data.notificationIds : [data?.notificationId];
  return ids.filter((id): id is string => typeof id === 'string');
}

/**
 * The outbox: rows are written in the caller's transaction together with their send job; a
 * worker claims a batch of rows with one conditional UPDATE, sends them side by side, and records
 * each message's outcome with its order event as soon as the server answers, before that lane
 * sends another. Transient failures go back to `pending` with a backoff; permanent ones end `failed`.
 *
 * Crashes: a claim is a lease of the worker lease's length (JobQueue.leaseMs), renewed every third
 * of it while the batch is sent; a row is only handed to the transport while the lease is sure to
 * hold. When a worker dies, its send job expires and is retried (JobQueue) and its unsent rows are
 * free once their lease lapses; a job that finds rows still held by another claim queues itself
 * again for when that lease ends. The only message that can go out twice is one the server
 * accepted in the few milliseconds before its row was written; its Message-ID is the same both
 * times (derived from the dedup key), so the duplicate is recognisable.
 */
export class NotificationOutbox {
  private readonly delivery: DeliveryDeps;

  constructor(
    private readonly clock: Clock,
    private readonly queue: JobQueue,
    private readonly templates: TemplateService,
    private readonly portal: PortalCodeService,
    transports: MailTransports,
    private readonly connectors: ConnectorFactory,
    private readonly settings: NotifySettings,
  ) {
    this.delivery = { transports, connectors, messageId: (key) => this.messageId(key) };
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
      const dedupKey = `resend:${randomUUID()}`;
      const created = await this.enqueueMany(tx, [
        {
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
          dedupKey,
          resendOf: original.id,
          replyTo: original.replyTo,
          actor: ctx.actor.name,
        },
      ]);
      return created.get(dedupKey)!;
    });
    return ctx.em.findOneOrFail(Notification, { id });
  }

  /**
   * Inserts the messages whose dedup key is new, their `notification_queued` events and one send
   * job per chunk, all in the caller's transaction (opened here when there is none). Returns
   * dedup key → id of the rows it inserted; a taken key is left out.
   */
  async enqueueMany(
    tx: EntityManager,
    messages: OutboxMessage[],
    options: { senderSendsNow?: boolean } = {},
  ): Promise<Map<string, string>> {
    if (!tx.isInTransaction()) return tx.transactional((inner) => this.enqueueMany(inner, messages, options));
    const created = new Map<string, string>();
    const byKey = new Map<string, OutboxMessage>();
    for (const m of messages) {
      checkMessage(m);
      if (!byKey.has(m.dedupKey)) byKey.set(m.dedupKey, m); // the first of a key wins, like the table's
    }
    for (const chunk of chunks([...byKey.values()], BATCH_SIZE)) {
      const now = this.clock.now();
      // No working portal link at rest: the send path puts the codes back (portal-code-marks.ts).
      const marked = await markPortalCodes(
        tx,
        chunk.flatMap((m) => [m.subject, m.html, m.text]),
      );
      const rows = chunk.map((m, i) => {
        const [subject, html, text] = marked.slice(i * 3, i * 3 + 3) as [string, string, string];
        return { row: newRow({ ...m, subject, html, text }), actor: pgText(m.actor.slice(0, MAX_ACTOR)) };
      });
      const inserted = await insertNotifications(
        tx,
        rows.map((r) => r.row),
        now,
      );
      const fresh = rows.filter(({ row }) => inserted.get(row.dedupKey) === row.id);
      if (!fresh.length) continue;
      await insertOrderEvents(
        tx,
        fresh.map(({ row, actor }) => ({
          merchantId: row.merchantId,
          orderId: row.orderId,
          type: 'notification_queued',
          source: 'system' as const,
          actor,
          data: {
            notificationId: row.id,
            transport: row.transport,
            recipient: row.recipient,
            subject: row.subject,
            resendOf: row.resendOf,
          },
          createdAt: now,
        })),
      );
      const notificationIds = fresh.map(({ row }) => row.id);
      // `senderSendsNow`: the caller sends them right after its commit; the job only backs that up.
      await this.queue.send(
        SEND_NOTIFICATION_QUEUE,
        { notificationIds } satisfies SendJob,
        { ...this.retry(), wake: !options.senderSendsNow },
        tx,
      );
      for (const { row } of fresh) created.set(row.dedupKey, row.id);
    }
    return created;
  }

  /**
   * One row of the send job (see sendMany). Returns what happened; throws only to make pg-boss
   * retry (a transient failure), after the row is back to `pending` with its next attempt time.
   */
  async send(em: EntityManager, notificationId: string): Promise<SendResult> {
    return (await this.sendMany(em, [notificationId])).get(notificationId) ?? 'skipped';
  }

  /**
   * The send job: claims the given rows that are pending (or whose claim expired), delivers them
   * side by side and records every outcome with its order event in one statement per chunk. Rows
   * not claimed (sent, failed, held by another worker, unknown ids) are `skipped`. When a row failed
   * transiently it is back to `pending` with its next attempt time, and this throws afterwards so
   * pg-boss retries the job: the retry claims only what is pending again. Rows still being sent
   * under another claim (a worker that died holding them, or one still at it) get a send job of
   * their own for when that lease ends.
   */
  async sendMany(em: EntityManager, ids: string[]): Promise<Map<string, SendResult>> {
    const results = new Map<string, SendResult>(ids.map((id) => [id, 'skipped']));
    const retrying: Extract<Outcome, { kind: 'retry' }>[] = [];
    let claimed = 0;
    const valid = [...new Set(ids.filter(isUuid))];
    for (const chunk of chunks(valid, BATCH_SIZE)) {
      const outcomes = await this.sendChunk(em, chunk);
      claimed += outcomes.length;
      for (const outcome of outcomes) {
        results.set(outcome.row.id, outcome.kind);
        if (outcome.kind === 'retry') retrying.push(outcome);
      }
    }
    const held = await stillSending(em, valid);
    if (held.until) {
      await this.queue.send(SEND_NOTIFICATION_QUEUE, { notificationIds: held.ids } satisfies SendJob, {
        ...this.retry(),
        startAfter: new Date(Math.max(held.until.getTime(), this.clock.now().getTime()) + 1000),
      });
    }
    if (retrying.length) {
      const first = retrying[0]!;
      throw new Error(
        `${retrying.length} of ${claimed} notifications failed transiently and will be retried (${first.row.id}: ${first.error})`,
      );
    }
    return results;
  }

  private async sendChunk(em: EntityManager, ids: string[]): Promise<Outcome[]> {
    const claimedAt = this.clock.now();
    const lease = { until: claimedAt.getTime() + this.queue.leaseMs };
    const rows = await claimNotifications(em, ids, claimedAt, new Date(lease.until));
    if (!rows.length) return [];
    const rowIds = rows.map((r) => r.id);
    const heartbeat = setInterval(() => {
      const until = this.clock.now().getTime() + this.queue.leaseMs;
      renewClaim(em, rowIds, claimedAt, new Date(until)).then(
        () => (lease.until = until),
        () => {}, // not renewed: the rows stop going out before the lease could lapse (attempt)
      );
    }, this.queue.leaseMs / 3);
    try {
      const prepared = await prepareDelivery(em, rows, this.delivery);
      const codes = await this.currentCodes(em, rows);
      const deliver: Deliver = (row) => prepared(withCodes(row, codes));
      const settled = await settleBounded(rows, DELIVERY_CONCURRENCY, async (row) => {
        const outcome = await this.attempt(row, deliver, lease);
        // Written before this lane sends another: a crash re-sends nothing the row says is sent.
        await recordOutcomes(em, claimedAt, [outcome]);
        return outcome;
      });
      // A row whose outcome could not be written stays `sending`: its lease lapses and sendMany
      // queues it again (the delivery may have happened: the same Message-ID marks a repeat).
      return settled.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Delivers one row; the outcome carries the time it settled (for the row and its event). */
  private async attempt(row: ClaimedRow, deliver: Deliver, lease: { until: number }): Promise<Outcome> {
    try {
      // Never hand a row to the transport unless the lease holds for a while yet (a missed
      // renewal stops it here): no other worker can take the row over meanwhile.
      if (this.clock.now().getTime() > lease.until - this.queue.leaseMs / 3)
        throw new Error('not sent in time: the claim could not be renewed');
      const providerMessageId = await deliver(row);
      return { kind: 'sent', row, at: this.clock.now(), providerMessageId };
    } catch (error) {
      return this.failure(row, error);
    }
  }

  private failure(row: ClaimedRow, error: unknown): Outcome {
    const failure = classify(error);
    const at = this.clock.now();
    if (!failure.retryable) return { kind: 'failed', row, at, error: failure.message };
    const delayMs = this.settings.retryDelaySeconds * 1000 * 2 ** Math.min(row.attempts - 1, 16);
    return { kind: 'retry', row, at, error: failure.message, nextAttemptAt: new Date(at.getTime() + delayMs) };
  }

  /**
   * Re-enqueues pending rows whose retries ran out or whose worker died holding them, as one job
   * per chunk. The singleton key (the chunk's ids, within one sweep interval) keeps two sweeps of
   * the same rows, e.g. from two worker processes, from queuing the same job twice.
   */
  async sweep(em: EntityManager): Promise<number> {
    const now = this.clock.now().getTime();
    const rows = await em.find(
      Notification,
      {
        $or: [
          { status: 'pending', nextAttemptAt: { $lt: new Date(now - SWEEP_GRACE_MS) } },
          { status: 'sending', leaseUntil: { $lt: new Date(now - SWEEP_GRACE_MS) } },
        ],
      },
      { fields: ['id'], orderBy: { id: 'asc' }, limit: SWEEP_LIMIT },
    );
    for (const notificationIds of chunks(
      rows.map((r) => r.id),
      BATCH_SIZE,
    )) {
      const key = createHash('sha256').update(notificationIds.join(',')).digest('hex').slice(0, 32);
      await this.queue.send(SEND_NOTIFICATION_QUEUE, { notificationIds } satisfies SendJob, {
        singletonKey: `sweep:${key}`,
        singletonSeconds: SWEEP_INTERVAL_SECONDS,
        ...this.retry(),
      });
    }
    return rows.length;
  }

  /** The current portal codes of the orders the rows' marks name (one statement). */
  private async currentCodes(em: EntityManager, rows: ClaimedRow[]): Promise<Map<string, string>> {
    const orderIds = markedOrders(rows.flatMap((r) => [r.subject, r.html, r.text]));
    const links = orderIds.length ? await this.portal.currentLinks(em, orderIds) : new Map();
    return new Map([...links].map(([orderId, link]) => [orderId, link.code]));
  }

  private retry() {
    return { retryLimit: this.settings.retryLimit, retryDelay: this.settings.retryDelaySeconds, retryBackoff: true };
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

  /** Same dedup key, same Message-ID: a resend after a crash is recognisable as the same message. */
  messageId(dedupKey: string): string {
    return `<${createHash('sha256').update(dedupKey).digest('hex').slice(0, 40)}@${this.settings.messageIdDomain}>`;
  }
}

/** Refuses what the table cannot hold unchanged (a cut dedup key would merge two messages). */
function checkMessage(m: OutboxMessage): void {
  if (m.transport !== 'email' && m.transport !== 'channel')
    throw new Error(`unknown transport: ${String(m.transport)}`);
  if (!m.dedupKey || m.dedupKey.length > MAX_DEDUP_KEY)
    throw new Error(`a dedup key needs 1 to ${MAX_DEDUP_KEY} characters: ${m.dedupKey.slice(0, 40)}…`);
}

/** The row of a message: strings PostgreSQL accepts, cut to the columns' lengths. */
function newRow(m: OutboxMessage): NewNotificationRow {
  return {
    id: randomUUID(),
    merchantId: m.merchantId,
    orderId: m.orderId,
    executionId: m.executionId,
    templateId: m.templateId,
    transport: m.transport,
    recipient: pgText(m.recipient.slice(0, MAX_ADDRESS)),
    language: pgText(m.language.slice(0, MAX_LANGUAGE)),
    replyTo: m.replyTo ? pgText(m.replyTo.slice(0, MAX_ADDRESS)) : null,
    subject: pgText(m.subject),
    html: pgText(m.html),
    text: pgText(m.text),
    dedupKey: m.dedupKey,
    resendOf: m.resendOf,
  };
}

/** The row as it is sent: its portal codes back in place; an order without one fails it for good. */
function withCodes(row: ClaimedRow, codes: ReadonlyMap<string, string>): ClaimedRow {
  try {
    const fill = (text: string) => fillPortalCodes(text, codes);
    return { ...row, subject: fill(row.subject), html: fill(row.html), text: fill(row.text) };
  } catch (error) {
    throw new NotificationError((error as Error).message, false);
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function classify(error: unknown): { retryable: boolean; message: string } {
  if (error instanceof NotificationError) return { retryable: error.retryable, message: error.message };
  const channel = error as Partial<ChannelError>;
  if (channel?.name === 'ChannelError')
    return { retryable: Boolean(channel.retryable), message: String(channel.message) };
  return { retryable: true, message: safeErrorMessage(error) };
}
