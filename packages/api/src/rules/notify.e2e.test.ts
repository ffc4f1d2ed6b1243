import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSmtpTestServer, type SmtpTestServer } from '@handoff/connectors/notify/smtp/testing/smtp-test-server';
import { accentTheme, type NormalizedOrder } from '@handoff/shared';
import { Product } from '../catalog/product.entity.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { registerJobs } from '../jobs/register-jobs.js';
import { createLogger } from '../logger.js';
import { systemClock } from '../clock.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { OrderTrigger } from '../orders/order-trigger.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from '../orders/order.entity.js';
import { normalizedOrder } from '../testing/normalized-order.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { Notification } from './notification.entity.js';
import { SEND_NOTIFICATION_QUEUE } from './notifications/outbox.service.js';
import { RuleExecution } from './rule-execution.entity.js';
import { RUN_RULE_QUEUE } from './rule-engine.js';
import { decodedBody, decodedSubject } from './testing-mail.js';
import { MARK_STORED_PORTAL_CODES } from '../migrations/Migration20261206030000PortalSecretsAndSuspensions.js';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Paid → notify end to end: a real import transaction, the real worker handlers through pg-boss
 * (dispatch-triggers → run-rule → send-notification) and a real SMTP server in this process.
 */
describe('paid order → exactly one email (default rule, real SMTP)', () => {
  let api: TestApi;
  let smtp: SmtpTestServer;
  let workers: { stop(): void };
  let merchantId: string;
  let apiKey: string;
  let connectionId: string;
  const em = () => api.orm.em.fork();

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    api = await startTestApi(inject('database'), {
      env: {
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        PORTAL_URL: 'http://portal.test',
        NOTIFY_RETRY_DELAY_SECONDS: '1',
        NOTIFY_CONCURRENCY: '2',
      },
    });
    workers = await registerJobs({
      log: createLogger('silent', 'worker'),
      orm: api.orm,
      clock: systemClock,
      services: api.services,
    });
    ({ merchantId, apiKey } = await api.merchantWithKey('Käse & Bits'));
    const fork = em();
    const connection = fork.create(ChannelConnection, { merchant: merchantId, kind: 'generic', name: 'Shop' });
    fork.create(Product, { merchant: merchantId, sku: 'EBOOK', name: 'E-book', digital: true });
    fork.create(Product, { merchant: merchantId, sku: 'MUG', name: 'Mug', digital: false });
    await fork.flush();
    connectionId = connection.id;
  });

  afterAll(async () => {
    workers?.stop();
    await api?.services.mailTransports.close();
    await api?.close();
    await smtp?.close();
  });

  const importOrders = (orders: NormalizedOrder[]) =>
    em().transactional((tx) =>
      api.services.importer.importBatch(tx, { connectionId, merchantId }, orders, { source: 'sync', actor: 'test' }),
    );
  const order = (id: string, overrides: Parameters<typeof normalizedOrder>[1] = {}) =>
    normalizedOrder(id, {
      items: [{ sku: 'EBOOK', title: 'Das große Buch', unitPrice: 1990 }],
      buyer: { email: `${id}@buyer.test`, name: 'Ada Käufer', language: 'de', country: 'DE' },
      ...overrides,
    });
  const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
  const notificationsOf = async (externalId: string) => {
    const o = await em().findOneOrFail(Order, { externalId, merchant: merchantId });
    return em().find(Notification, { order: o.id }, { orderBy: { createdAt: 'asc' } });
  };

  it('sends one German email whose portal link opens that order', async () => {
    await importOrders([order('1001')]);
    await until(() => mailsTo('1001@buyer.test').length === 1);
    const mail = mailsTo('1001@buyer.test')[0]!;
    expect(decodedSubject(mail.raw)).toBe('Ihre Downloads zur Bestellung #1001');
    const body = decodedBody(mail.raw);
    expect(body).toContain('Hallo Ada Käufer,');
    const code = /http:\/\/portal\.test\/p\/([A-Za-z0-9_-]{32})/.exec(body)?.[1];
    expect(code).toBeTruthy();
    const opened = await api.services.portalCodes.findOrderByPortalCode(em(), code!);
    const stored = await em().findOneOrFail(Order, { externalId: '1001', merchant: merchantId });
    expect(opened?.id).toBe(stored.id);

    const [n] = await notificationsOf('1001');
    await until(
      async () => (await em().findOneOrFail(Notification, { id: n!.id }, { refresh: true })).status === 'sent',
    );
    const sent = await em().findOneOrFail(Notification, { id: n!.id }, { refresh: true });
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, language: 'de', recipient: '1001@buyer.test' });
    expect(mail.raw).toContain(`Message-ID: ${api.services.outbox.messageId(sent.dedupKey)}`);
    const events = await em().find(OrderEvent, { order: stored.id }, { orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['imported', 'notification_queued', 'rule_ran', 'notification_sent']),
    );
  });

  it('stores the message without a working portal link: the database and GraphQL show none, the email has it', async () => {
    const stored = await em().findOneOrFail(Order, { externalId: '1001', merchant: merchantId });
    const code = (await api.services.portalCodes.currentLinks(em(), [stored.id])).get(stored.id)!.code;
    // The email that went out holds the working link (the first test opened it).
    expect(decodedBody(mailsTo('1001@buyer.test')[0]!.raw)).toContain(`http://portal.test/p/${code}`);
    // A dump of the outbox and the order history holds no code.
    const dump = async () =>
      (
        await em()
          .getConnection()
          .execute<{ row: string }[]>(
            `select n::text as row from notification n union all select e::text from order_event e`,
          )
      )
        .map((r) => r.row)
        .join('\n');
    expect(await dump()).toContain(`/p/[[portal-code:${stored.id}]]`);
    expect(await dump()).not.toContain(code);
    // GraphQL shows the link redacted, even to a key holding every scope.
    const res = await api.gql<{ order: { notifications: { subject: string; html: string; text: string }[] } }>(
      'query($id: ID!) { order(id: $id) { notifications { subject html text } } }',
      { id: stored.id },
      apiKey,
    );
    const [shown] = res.data!.order.notifications;
    expect(shown!.text).toContain('http://portal.test/p/••••••');
    expect(shown!.html).toContain('http://portal.test/p/••••••');
    expect(JSON.stringify(res)).not.toContain(code);
  });

  it('the migration marks the codes of messages stored before; a pending one still sends a working link', async () => {
    const stored = await em().findOneOrFail(Order, { externalId: '1001', merchant: merchantId });
    const code = (await api.services.portalCodes.currentLinks(em(), [stored.id])).get(stored.id)!.code;
    const legacy = randomUUID();
    const link = `http://portal.test/p/${code}`;
    await em()
      .getConnection()
      .execute(
        `insert into notification (id, merchant_id, order_id, transport, recipient, language, subject, html, text,
           dedup_key, status, attempts, created_at, updated_at)
         values (?, ?, ?, 'email', 'legacy@buyer.test', 'en', 'Your files', ?, ?, ?, 'pending', 0, now(), now())`,
        [legacy, merchantId, stored.id, `<a href="${link}">${link}</a>`, `Open ${link}.`, `legacy:${legacy}`],
      );
    for (const sql of MARK_STORED_PORTAL_CODES) await em().getConnection().execute(sql);
    const row = await em().findOneOrFail(Notification, { id: legacy });
    expect(row.text).toBe(`Open http://portal.test/p/[[portal-code:${stored.id}]].`);
    expect(JSON.stringify(row)).not.toContain(code);
    await api.services.outbox.send(em(), legacy);
    await until(() => mailsTo('legacy@buyer.test').length === 1);
    const body = decodedBody(mailsTo('legacy@buyer.test')[0]!.raw);
    const mailed = /http:\/\/portal\.test\/p\/([A-Za-z0-9_-]{32})/.exec(body)?.[1];
    expect((await api.services.portalCodes.findOrderByPortalCode(em(), mailed!))?.id).toBe(stored.id);
    await em().nativeDelete(Notification, { id: legacy }); // the next test counts this order's messages
  });

  it('the same order reported paid again (resync, webhook repeat, redelivered jobs) sends nothing more', async () => {
    const stored = await em().findOneOrFail(Order, { externalId: '1001', merchant: merchantId });
    // Resync with the same data, then a later report that it is completed (paid-like again).
    await importOrders([order('1001')]);
    await importOrders([order('1001', { status: 'completed', updatedAt: new Date('2026-03-02T10:00:00Z') })]);
    // A worker that crashed after the listener ran: the paid trigger is handled again.
    const paid = await em().findOneOrFail(OrderTrigger, { order: stored.id, kind: 'order.paid' });
    await api.services.ruleEngine.handle(em(), [
      { id: paid.id, merchantId, orderId: stored.id, kind: paid.kind, toStatus: paid.toStatus, data: paid.data },
    ]);
    // pg-boss redelivering the run and the send after a restart.
    const [execution] = await em().find(RuleExecution, { order: stored.id });
    const [n] = await notificationsOf('1001');
    await api.services.queue.send(RUN_RULE_QUEUE, { executionId: execution!.id });
    // Both payload shapes: a batch, and a single id as jobs queued before batching carry it.
    await api.services.queue.send(SEND_NOTIFICATION_QUEUE, { notificationIds: [n!.id] });
    await api.services.queue.send(SEND_NOTIFICATION_QUEUE, { notificationId: n!.id });
    await pause(3500);
    expect(mailsTo('1001@buyer.test')).toHaveLength(1);
    expect(await em().count(RuleExecution, { order: stored.id })).toBe(1);
    expect(await notificationsOf('1001')).toHaveLength(1);
  });

  it('SMTP down for a while: retried with backoff, delivered once back, attempts visible', async () => {
    // 421 closes the connection; the pooled transport may spend more than one refusal per attempt.
    smtp.refuse({ stage: 'mail', code: 421, message: 'try again later', times: 3 });
    await importOrders([order('1002')]);
    await until(() => mailsTo('1002@buyer.test').length === 1, 30_000);
    const [n] = await notificationsOf('1002');
    await until(
      async () => (await em().findOneOrFail(Notification, { id: n!.id }, { refresh: true })).status === 'sent',
    );
    const sent = await em().findOneOrFail(Notification, { id: n!.id }, { refresh: true });
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    const failures = await em().find(OrderEvent, { order: sent.order.id, type: 'notification_failed' });
    expect(failures).toHaveLength(sent.attempts - 1);
    expect(failures[0]!.data).toMatchObject({ error: expect.stringContaining('try again later') });
    expect(failures[0]!.data).toMatchObject({ retrying: true });
    await pause(1500);
    expect(mailsTo('1002@buyer.test')).toHaveLength(1);
  });

  it('a permanent 5xx ends failed with the error; nothing is lost and a resend is a new notification', async () => {
    smtp.refuse({ stage: 'rcpt', code: 550, message: 'no such user', recipient: '1003@buyer.test' });
    await importOrders([order('1003')]);
    const failed = async () => (await notificationsOf('1003'))[0];
    await until(async () => (await failed())?.status === 'failed');
    const row = (await failed())!;
    expect(row.lastError).toContain('no such user');
    expect(row.attempts).toBe(1);
    expect(mailsTo('1003@buyer.test')).toHaveLength(0);

    const res = await api.gql<{ resendNotification: { notification: { id: string; status: string } } }>(
      'mutation($id: ID!) { resendNotification(id: $id) { notification { id status } userErrors { code message } } }',
      { id: row.id },
      apiKey,
    );
    const resent = res.data!.resendNotification.notification;
    expect(resent.id).not.toBe(row.id);
    await until(() => mailsTo('1003@buyer.test').length === 1);
    expect(await notificationsOf('1003')).toHaveLength(2);
  });

  it("escapes a script tag in the buyer's name in the HTML body", async () => {
    await importOrders([
      order('1004', {
        buyer: { email: '1004@buyer.test', name: '<script>alert(1)</script>', language: 'en', country: 'GB' },
      }),
    ]);
    await until(() => mailsTo('1004@buyer.test').length === 1);
    const [n] = await notificationsOf('1004');
    expect(n!.subject).toBe('Your downloads for order #1004');
    expect(n!.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;,');
    expect(n!.html).not.toContain('<script>');
  });

  it("the email's button takes the merchant's brand colour, as the portal's button does", async () => {
    const fork = em();
    const merchant = await fork.findOneOrFail(Merchant, { id: merchantId });
    merchant.settings = { ...merchant.settings, portal: { ...merchant.settings.portal, accentColor: '#0f7b6c' } };
    await fork.flush();
    await importOrders([order('1009')]);
    await until(() => mailsTo('1009@buyer.test').length === 1);
    const [n] = await notificationsOf('1009');
    const portalButton = accentTheme('0f7b6c').light;
    expect(n!.html).toContain(`style="background:${portalButton.accent};color:${portalButton.contrast};`);
    expect(n!.html).not.toContain('#1d1d1b;color:#ffffff');
  });

  it('an order without digital items gets no message from the default rule', async () => {
    await importOrders([order('1005', { items: [{ sku: 'MUG', title: 'Mug' }] })]);
    await importOrders([order('1006', { items: [{ sku: 'UNKNOWN-SKU', title: 'Unmapped' }] })]);
    await pause(4000);
    expect(mailsTo('1005@buyer.test')).toHaveLength(0);
    expect(mailsTo('1006@buyer.test')).toHaveLength(0);
    expect(await notificationsOf('1005')).toHaveLength(0);
    const stored = await em().findOneOrFail(Order, { externalId: '1005', merchant: merchantId });
    expect(await em().count(RuleExecution, { order: stored.id })).toBe(0);
    const triggers = await em().find(OrderTrigger, { order: stored.id, kind: 'order.paid' });
    expect(triggers[0]?.dispatchedAt).toBeTruthy();
  });

  it('shows notifications and rule runs on the order', async () => {
    const stored = await em().findOneOrFail(Order, { externalId: '1002', merchant: merchantId });
    const res = await api.gql<{
      order: {
        notifications: { status: string; attempts: number; subject: string }[];
        ruleExecutions: { status: string; rule: { name: string }; results: { code: string; status: string }[] }[];
      };
    }>(
      `query($id: ID!) { order(id: $id) {
         notifications { status attempts subject lastError }
         ruleExecutions { status attempts rule { name } results }
       } }`,
      { id: stored.id },
      apiKey,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.order.notifications).toEqual([
      expect.objectContaining({ status: 'sent', lastError: null, subject: 'Ihre Downloads zur Bestellung #1002' }),
    ]);
    expect(res.data!.order.notifications[0]!.attempts).toBeGreaterThanOrEqual(2);
    const [run] = res.data!.order.ruleExecutions;
    expect(run!.status).toBe('succeeded');
    expect(run!.rule.name).toBe('Send downloads when paid');
    expect(run!.results.map((r) => r.code)).toEqual(['grant_downloads', 'send_notification']);
  });
});
