import type { EntityManager } from '@mikro-orm/postgresql';
import { NotificationError, type ChannelConnector } from '@handoff/connectors';
import { ChannelConnection } from '../../channels/channel-connection.entity.js';
import { sql } from '../../db/sql.js';
import type { ConnectorFactory } from '../../channels/connector-factory.js';
import type { ClaimedRow } from './outbox-store.js';
import type { MailTransports, Sender } from './transports.js';

export interface DeliveryDeps {
  transports: MailTransports;
  connectors: ConnectorFactory;
  /** The stable Message-ID of a dedup key. */
  messageId(dedupKey: string): string;
}

/** Sends one claimed row; resolves to the provider's message id. */
export type Deliver = (row: ClaimedRow) => Promise<string>;

/** A value loaded for a whole batch, or why not: the rows that need it fail with that error. */
type Loaded<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function load<T>(fn: () => Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

function unwrap<T>(loaded: Loaded<T> | undefined, missing: string): T {
  if (!loaded) throw new Error(missing);
  if (!loaded.ok) throw loaded.error;
  return loaded.value;
}

/**
 * Loads what a batch of claimed rows needs once, not per row: each merchant's name, contact and
 * sender (their own SMTP settings or the hub's), and for channel messages the orders' channel ids
 * and one connector per connection. Returns the function that sends a row.
 */
export async function prepareDelivery(em: EntityManager, rows: ClaimedRow[], deps: DeliveryDeps): Promise<Deliver> {
  const emailRows = rows.filter((r) => r.transport === 'email');
  const channelRows = rows.filter((r) => r.transport === 'channel');
  const merchants = await loadMerchants(em, emailRows);
  const senders = new Map<string, Loaded<Sender>>();
  for (const merchantId of merchants.keys())
    senders.set(merchantId, await load(() => deps.transports.senderFor(em, merchantId)));
  const channel = await loadChannelTargets(em, channelRows, deps.connectors);

  return async (row) => {
    if (row.transport === 'channel') {
      const target = channel.orders.get(row.orderId);
      if (!target) throw new Error('the order no longer exists');
      const connector = unwrap(channel.connectors.get(target.connectionId), 'the channel connection no longer exists');
      if (!connector.sendMessage) throw new NotificationError('the channel cannot message buyers', false);
      return connector.sendMessage({ externalId: target.externalId }, row.text);
    }
    const merchant = merchants.get(row.merchantId);
    if (!merchant) throw new Error('the merchant no longer exists');
    const sender = unwrap(senders.get(row.merchantId), 'no sender');
    const fromName = (sender.fromName ?? merchant.name).replace(/["\\\r\n]/g, '');
    const sent = await sender.transport.send({
      from: `"${fromName}" <${sender.fromAddress}>`,
      to: row.recipient,
      replyTo: row.replyTo ?? sender.replyTo ?? merchant.contactEmail ?? undefined,
      subject: row.subject,
      html: row.html,
      text: row.text,
      messageId: deps.messageId(row.dedupKey),
      headers: { 'X-Handoff-Notification': row.id, 'Auto-Submitted': 'auto-generated' },
    });
    if (sent.rejected.includes(row.recipient))
      throw new NotificationError(`the server refused ${row.recipient}`, false);
    return sent.messageId;
  };
}

async function loadMerchants(
  em: EntityManager,
  rows: ClaimedRow[],
): Promise<Map<string, { name: string; contactEmail: string | null }>> {
  const ids = [...new Set(rows.map((r) => r.merchantId))];
  if (!ids.length) return new Map();
  const found = await sql<{ id: string; name: string; contact_email: string | null }>(
    em,
    'select id, name, contact_email from merchant where id = any(?::uuid[])',
    [ids],
  );
  return new Map(found.map((m) => [m.id, { name: m.name, contactEmail: m.contact_email }]));
}

async function loadChannelTargets(em: EntityManager, rows: ClaimedRow[], connectors: ConnectorFactory) {
  const orders = new Map<string, { externalId: string; connectionId: string }>();
  const built = new Map<string, Loaded<ChannelConnector>>();
  const orderIds = [...new Set(rows.map((r) => r.orderId))];
  if (!orderIds.length) return { orders, connectors: built };
  const found = await sql<{ id: string; external_id: string; connection_id: string }>(
    em,
    'select id, external_id, connection_id from "order" where id = any(?::uuid[])',
    [orderIds],
  );
  for (const o of found) orders.set(o.id, { externalId: o.external_id, connectionId: o.connection_id });
  const connectionIds = [...new Set(found.map((o) => o.connection_id))];
  const connections = await em.find(
    ChannelConnection,
    { id: { $in: connectionIds } },
    { populate: ['credentialsEncrypted'] },
  );
  for (const connection of connections) built.set(connection.id, await load(() => connectors.build(em, connection)));
  return { orders, connectors: built };
}
