import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../db/sql.js';
import type { NotificationTransportKind } from '../notification.entity.js';

/**
 * The outbox's SQL: one statement inserts a batch of rows, one claims a batch, one renews a claim's
 * lease, one records an outcome (a message's, as soon as it is known) with its order event. Values are bind parameters
 * (db/sql.ts); an id list is one array parameter (`= any(?::uuid[])`).
 */

/** One message for the outbox. */
export interface OutboxMessage {
  merchantId: string;
  orderId: string;
  executionId: string | null;
  templateId: string | null;
  transport: NotificationTransportKind;
  /** An email address, or the channel order id for channel messages. */
  recipient: string;
  language: string;
  subject: string;
  html: string;
  text: string;
  /** Unique in the outbox: a message whose key is taken is not queued again. */
  dedupKey: string;
  resendOf: string | null;
  /** Reply-To when not the merchant's own (a buyer's message to the seller). */
  replyTo?: string | null;
  /** Who the `notification_queued` event names. */
  actor: string;
}

/** A notification row as enqueueMany writes it. */
export interface NewNotificationRow extends Omit<OutboxMessage, 'replyTo' | 'actor'> {
  id: string;
  replyTo: string | null;
}

/** What delivery and recording need of a claimed row. */
export interface ClaimedRow {
  id: string;
  merchantId: string;
  orderId: string;
  transport: NotificationTransportKind;
  recipient: string;
  replyTo: string | null;
  subject: string;
  html: string;
  text: string;
  dedupKey: string;
  /** Including this attempt. */
  attempts: number;
}

export type Outcome =
  | { kind: 'sent'; row: ClaimedRow; at: Date; providerMessageId: string }
  | { kind: 'retry'; row: ClaimedRow; at: Date; error: string; nextAttemptAt: Date }
  | { kind: 'failed'; row: ClaimedRow; at: Date; error: string };

const INSERT_ROW = `(${Array(16).fill('?').join(', ')}, 'pending', 0)`;
/** id, status, sent_at, provider_message_id, last_error, next_attempt_at, at, event_id, event_type, event_data */
const OUTCOME_ROW =
  '(?::uuid, ?::text, ?::timestamptz, ?::text, ?::text, ?::timestamptz, ?::timestamptz, ?::uuid, ?::text, ?::jsonb)';

/** Inserts the rows whose dedup key is new; returns dedup key → id of those. */
export async function insertNotifications(
  tx: EntityManager,
  rows: NewNotificationRow[],
  now: Date,
): Promise<Map<string, string>> {
  if (!rows.length) return new Map();
  const values = rows.map(() => INSERT_ROW).join(',\n');
  const inserted = await sql<{ id: string; dedup_key: string }>(
    tx,
    `insert into notification (id, merchant_id, order_id, execution_id, template_id, transport, recipient, language,
         reply_to, subject, html, text, dedup_key, resend_of, created_at, updated_at, status, attempts)
       values ${values}
       on conflict (dedup_key) do nothing
       returning id, dedup_key`,
    rows.flatMap((r) => [
      r.id,
      r.merchantId,
      r.orderId,
      r.executionId,
      r.templateId,
      r.transport,
      r.recipient,
      r.language,
      r.replyTo,
      r.subject,
      r.html,
      r.text,
      r.dedupKey,
      r.resendOf,
      now,
      now,
    ]),
  );
  return new Map(inserted.map((r) => [r.dedup_key, r.id]));
}

/**
 * Claims the rows among `ids` that are pending, or sending with a lapsed lease, until `leaseUntil`.
 * Rows another claimer holds locked right now are skipped (it is sending them), which also rules
 * out deadlocks between two batches that share rows.
 */
export async function claimNotifications(
  em: EntityManager,
  ids: string[],
  claimedAt: Date,
  leaseUntil: Date,
): Promise<ClaimedRow[]> {
  if (!ids.length) return [];
  const rows = await sql(
    em,
    `with claimable as (
       select id from notification
        where id = any(?::uuid[]) and (status = 'pending' or (status = 'sending' and lease_until < ?))
        for update skip locked
     ), claimed as (
       update notification n
          set status = 'sending', attempts = n.attempts + 1, claimed_at = ?, lease_until = ?, updated_at = ?
         from claimable c
        where n.id = c.id
       returning n.id, n.merchant_id, n.order_id, n.transport, n.recipient, n.reply_to, n.subject, n.html, n.text,
                 n.dedup_key, n.attempts, n.created_at
     )
     select * from claimed order by created_at, id`,
    [ids, claimedAt, claimedAt, leaseUntil, claimedAt],
  );
  return rows.map((r) => ({
    id: r.id as string,
    merchantId: r.merchant_id as string,
    orderId: r.order_id as string,
    transport: r.transport as NotificationTransportKind,
    recipient: r.recipient as string,
    replyTo: r.reply_to as string | null,
    subject: r.subject as string,
    html: r.html as string,
    text: r.text as string,
    dedupKey: r.dedup_key as string,
    attempts: r.attempts as number,
  }));
}

/** The heartbeat of a claim: its rows still being sent stay its own until `leaseUntil`. */
export async function renewClaim(em: EntityManager, ids: string[], claimedAt: Date, leaseUntil: Date): Promise<void> {
  await sql(
    em,
    `update notification set lease_until = ? where id = any(?::uuid[]) and status = 'sending' and claimed_at = ?`,
    [leaseUntil, ids, claimedAt],
  );
}

/** The rows among `ids` some worker is still sending, and when the last of their leases ends. */
export async function stillSending(em: EntityManager, ids: string[]): Promise<{ ids: string[]; until: Date | null }> {
  if (!ids.length) return { ids: [], until: null };
  const rows = await sql<{ id: string; lease_until: Date | null }>(
    em,
    `select id, lease_until from notification where id = any(?::uuid[]) and status = 'sending'`,
    [ids],
  );
  const ends = rows.map((r) => (r.lease_until ? new Date(r.lease_until).getTime() : 0));
  return { ids: rows.map((r) => r.id), until: rows.length ? new Date(Math.max(...ends)) : null };
}

/**
 * Records outcomes and their order events in one statement (so atomically). Only rows
 * still held by this claim are updated, and only those get an event: a row whose lease another
 * worker took over is that worker's to record.
 */
export async function recordOutcomes(em: EntityManager, claimedAt: Date, outcomes: Outcome[]): Promise<void> {
  if (!outcomes.length) return;
  const values = outcomes.map(() => OUTCOME_ROW).join(',\n');
  await sql(
    em,
    `with v (id, status, sent_at, provider_message_id, last_error, next_attempt_at, at, event_id, event_type, event_data)
       as (values ${values}),
     done as (
       update notification n
          set status = v.status, sent_at = coalesce(v.sent_at, n.sent_at),
              provider_message_id = coalesce(v.provider_message_id, n.provider_message_id),
              last_error = v.last_error, next_attempt_at = v.next_attempt_at, updated_at = v.at
         from v
        where n.id = v.id and n.status = 'sending' and n.claimed_at = ?
       returning n.id, n.merchant_id, n.order_id
     )
     insert into order_event (id, merchant_id, order_id, type, source, actor, data, created_at)
     select v.event_id, done.merchant_id, done.order_id, v.event_type, 'system', 'notifications', v.event_data, v.at
       from done join v on v.id = done.id`,
    [...outcomes.flatMap((o) => [...outcomeColumns(o), randomUUID(), ...eventOf(o)]), claimedAt],
  );
}

/** id, status, sent_at, provider_message_id, last_error, next_attempt_at, at. */
function outcomeColumns(o: Outcome): unknown[] {
  const id = o.row.id;
  switch (o.kind) {
    case 'sent':
      return [id, 'sent', o.at, pgText(o.providerMessageId.slice(0, 300)), null, null, o.at];
    case 'retry':
      return [id, 'pending', null, null, pgText(o.error), o.nextAttemptAt, o.at];
    case 'failed':
      return [id, 'failed', null, null, pgText(o.error), null, o.at];
  }
}

/** The order event's type and data (as JSON) of an outcome. */
function eventOf(o: Outcome): [string, string] {
  const base = { notificationId: o.row.id, transport: o.row.transport, recipient: o.row.recipient };
  const attempts = o.row.attempts;
  switch (o.kind) {
    case 'sent':
      return ['notification_sent', pgJson({ ...base, providerMessageId: o.providerMessageId, attempts })];
    case 'retry':
      return [
        'notification_failed',
        pgJson({
          ...base,
          error: o.error,
          attempts,
          retrying: true,
          nextAttemptAt: o.nextAttemptAt.toISOString(),
        }),
      ];
    case 'failed':
      return ['notification_failed', pgJson({ ...base, error: o.error, attempts, retrying: false })];
  }
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text PostgreSQL accepts: no NUL (text refuses it) and no lone surrogate (jsonb refuses its
 * escape; a cut-off emoji from a server reply or a truncated name must not fail a whole batch).
 */
export function pgText(value: string): string {
  return value.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\ufffd');
}

/** JSON for a jsonb value, its strings made acceptable by pgText. */
export function pgJson(value: Record<string, unknown>): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? pgText(v) : v));
}
