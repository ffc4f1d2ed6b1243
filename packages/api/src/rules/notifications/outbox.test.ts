import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSmtpTestServer, type SmtpTestServer } from '@handoff/connectors/notify/smtp/testing/smtp-test-server';
import { OrderEvent } from '../../orders/order-event.entity.js';
import { seedOrders } from '../../testing/order-factory.js';
import { startTestApi, type TestApi } from '../../testing/test-api.js';
import { Notification } from '../notification.entity.js';
import { SEND_NOTIFICATION_QUEUE, sendJobIds, type OutboxMessage, type SendJob } from './outbox.service.js';

/**
 * The outbox's batch side against PostgreSQL and two real SMTP servers in this process: the hub's
 * default (SMTP_URL) and one merchant's own. No workers run: the tests call sendMany themselves.
 */
describe('notification outbox: enqueueMany and sendMany', () => {
  let api: TestApi;
  let hubSmtp: SmtpTestServer;
  let ownSmtp: SmtpTestServer;
  let shopA: string;
  let shopB: string;
  const em = () => api.orm.em.fork();
  const outbox = () => api.services.outbox;

  beforeAll(async () => {
    [hubSmtp, ownSmtp] = await Promise.all([startSmtpTestServer(), startSmtpTestServer()]);
    api = await startTestApi(inject('database'), {
      env: { SMTP_URL: `smtp://127.0.0.1:${hubSmtp.port}`, NOTIFY_RETRY_DELAY_SECONDS: '1' },
    });
    shopA = (await api.merchantWithKey('Shop A')).merchantId;
    const b = await api.merchantWithKey('Shop B');
    shopB = b.merchantId;
    const res = await api.gql<{ setMailSettings: { userErrors: unknown[] } }>(
      `mutation($i: MailSettingsInput!) { setMailSettings(input: $i) { userErrors { code message } } }`,
      {
        i: {
          host: '127.0.0.1',
          port: ownSmtp.port,
          fromAddress: 'mail@shop-b.test',
          fromName: 'Shop B Mail',
          replyTo: 'replies@shop-b.test',
        },
      },
      b.apiKey,
    );
    expect(res.data!.setMailSettings.userErrors).toEqual([]);
  });

  afterAll(async () => {
    await api?.services.mailTransports.close();
    await api?.close();
    await Promise.all([hubSmtp?.close(), ownSmtp?.close()]);
  });

  /** One email per seeded order, to that order's buyer (`buyer<i>@<domain>`). */
  async function emailsFor(merchantId: string, count: number, domain: string): Promise<OutboxMessage[]> {
    const { orderIds } = await seedOrders(em(), merchantId, count, { emailDomain: domain });
    return orderIds.map((orderId, i) => ({
      merchantId,
      orderId,
      executionId: null,
      templateId: null,
      transport: 'email',
      recipient: `buyer${i}@${domain}`,
      language: 'en',
      subject: `Your files ${i}`,
      html: `<p>Hello ${i}</p>`,
      text: `Hello ${i}`,
      dedupKey: `test:${randomUUID()}`,
      resendOf: null,
      actor: 'test',
    }));
  }
  const enqueue = (messages: OutboxMessage[]) => em().transactional((tx) => outbox().enqueueMany(tx, messages));
  const rows = (ids: string[]) => em().find(Notification, { id: { $in: ids } }, { orderBy: { createdAt: 'asc' } });
  const events = (type: string, ids: string[]) =>
    em()
      .find(OrderEvent, { type })
      .then((all) => all.filter((e) => ids.includes(e.data?.notificationId as string)));
  const sendJobs = () =>
    em()
      .getConnection()
      .execute<{ data: { notificationIds?: string[] } }[]>(
        'select data from pgboss.job where name = ? order by created_on',
        [SEND_NOTIFICATION_QUEUE],
      );
  const mailsTo = (smtp: SmtpTestServer, domain: string) => smtp.received.filter((m) => m.to[0]!.endsWith(domain));

  it('enqueues new rows with their events and one send job; a taken dedup key is skipped', async () => {
    const messages = await emailsFor(shopA, 3, 'enqueue.test');
    const first = await enqueue([messages[0]!, messages[1]!, { ...messages[1]!, subject: 'same key, later' }]);
    expect([...first.keys()]).toEqual([messages[0]!.dedupKey, messages[1]!.dedupKey]);
    const again = await enqueue(messages);
    expect([...again.keys()]).toEqual([messages[2]!.dedupKey]);

    const ids = [...first.values(), ...again.values()];
    const stored = await rows(ids);
    expect(stored.map((n) => [n.status, n.attempts, n.subject])).toEqual([
      ['pending', 0, 'Your files 0'],
      ['pending', 0, 'Your files 1'],
      ['pending', 0, 'Your files 2'],
    ]);
    const queued = await events('notification_queued', ids);
    expect(queued).toHaveLength(3);
    expect(queued.find((e) => e.data!.notificationId === ids[0])).toMatchObject({
      source: 'system',
      actor: 'test',
      data: { transport: 'email', recipient: 'buyer0@enqueue.test', subject: 'Your files 0', resendOf: null },
    });
    const jobs = (await sendJobs()).filter((j) => j.data.notificationIds?.some((id) => ids.includes(id)));
    expect(jobs.map((j) => j.data.notificationIds)).toEqual([ids.slice(0, 2), ids.slice(2)]);
  });

  it('writes nothing, job included, when the caller rolls back; refuses a dedup key the table cannot hold', async () => {
    const messages = await emailsFor(shopA, 2, 'rollback.test');
    let ids: string[] = [];
    await expect(
      em().transactional(async (tx) => {
        ids = [...(await outbox().enqueueMany(tx, messages)).values()];
        throw new Error('the rule run failed');
      }),
    ).rejects.toThrow('the rule run failed');
    expect(ids).toHaveLength(2);
    expect(await em().count(Notification, { id: { $in: ids } })).toBe(0);
    const orders = messages.map((m) => m.orderId);
    expect(await em().count(OrderEvent, { order: { $in: orders }, type: 'notification_queued' })).toBe(0);
    expect((await sendJobs()).filter((j) => j.data.notificationIds?.some((id) => ids.includes(id)))).toEqual([]);
    await expect(enqueue([{ ...messages[0]!, dedupKey: 'x'.repeat(301) }])).rejects.toThrow(/dedup key/);
  });

  it('keeps quotes, backslashes and question marks; cleans what PostgreSQL would refuse instead of failing', async () => {
    const [message] = await emailsFor(shopA, 1, 'clean.test');
    const html = `<p>It's a "quote", a \\ backslash, a ? and ?? and $1</p>`;
    const created = await enqueue([{ ...message!, subject: 'Nul\u0000 and half an emoji \ud83d', html }]);
    const [row] = await rows([...created.values()]);
    expect(row!.subject).toBe('Nul and half an emoji \ufffd');
    expect(row!.html).toBe(html);
    expect(await outbox().send(em(), row!.id)).toBe('sent');
  });

  it('sends a batch for two merchants: each email once, through the right server, with its event', async () => {
    const messages = [...(await emailsFor(shopA, 15, 'batch-a.test')), ...(await emailsFor(shopB, 15, 'batch-b.test'))];
    const created = await enqueue(messages);
    const ids = [...created.values()];

    const results = await outbox().sendMany(em(), ids);
    expect([...results.values()]).toEqual(Array(30).fill('sent'));

    const toA = mailsTo(hubSmtp, '@batch-a.test');
    const toB = mailsTo(ownSmtp, '@batch-b.test');
    expect(toA.map((m) => m.to[0]).sort()).toEqual(
      messages
        .slice(0, 15)
        .map((m) => m.recipient)
        .sort(),
    );
    expect(toB.map((m) => m.to[0]).sort()).toEqual(
      messages
        .slice(15)
        .map((m) => m.recipient)
        .sort(),
    );
    expect(mailsTo(ownSmtp, '@batch-a.test')).toHaveLength(0);
    expect(mailsTo(hubSmtp, '@batch-b.test')).toHaveLength(0);
    const mailA = toA.find((m) => m.to[0] === 'buyer0@batch-a.test')!;
    expect(mailA.raw).toContain(`Message-ID: ${outbox().messageId(messages[0]!.dedupKey)}`);
    expect(mailA.raw).toContain('Reply-To: shop@example.com');
    const mailB = toB.find((m) => m.to[0] === 'buyer0@batch-b.test')!;
    expect(mailB.from).toBe('mail@shop-b.test');
    expect(mailB.raw).toContain('From: Shop B Mail <mail@shop-b.test>');
    expect(mailB.raw).toContain('Reply-To: replies@shop-b.test');

    const stored = await rows(ids);
    expect(stored.every((n) => n.status === 'sent' && n.attempts === 1 && n.sentAt && n.providerMessageId)).toBe(true);
    const sent = await events('notification_sent', ids);
    expect(sent.map((e) => e.data!.notificationId).sort()).toEqual([...ids].sort());
    const n0 = stored.find((n) => n.dedupKey === messages[0]!.dedupKey)!;
    expect(sent.find((e) => e.data!.notificationId === n0.id)).toMatchObject({
      source: 'system',
      actor: 'notifications',
      data: {
        transport: 'email',
        recipient: 'buyer0@batch-a.test',
        providerMessageId: n0.providerMessageId,
        attempts: 1,
      },
    });
    const queuedAt = (await events('notification_queued', [n0.id]))[0]!.createdAt;
    expect(sent.find((e) => e.data!.notificationId === n0.id)!.createdAt.getTime()).toBeGreaterThanOrEqual(
      queuedAt.getTime(),
    );

    expect([...(await outbox().sendMany(em(), ids)).values()]).toEqual(Array(30).fill('skipped'));
    expect(mailsTo(hubSmtp, '@batch-a.test')).toHaveLength(15);
    expect(mailsTo(ownSmtp, '@batch-b.test')).toHaveLength(15);
  });

  it('a 550 ends failed, a 421 goes back to pending and the call throws; the next call sends it once', async () => {
    const messages = await emailsFor(shopA, 10, 'mixed.test');
    const ids = [...(await enqueue(messages)).values()];
    hubSmtp.refuse({ stage: 'rcpt', code: 550, message: 'no such user', recipient: 'buyer3@mixed.test' });
    // 421 closes the connection: the pool requeues the message up to 5 times before it gives up.
    hubSmtp.refuse({ stage: 'rcpt', code: 421, message: 'try again later', recipient: 'buyer7@mixed.test', times: 6 });
    const before = Date.now();

    await expect(outbox().sendMany(em(), ids)).rejects.toThrow(/^1 of 10 notifications failed transiently/);
    const stored = await rows(ids);
    const to = (recipient: string) => stored.find((n) => n.recipient === recipient)!;
    const [failed, pending] = [to('buyer3@mixed.test'), to('buyer7@mixed.test')];
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    expect(failed.lastError).toContain('no such user');
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending.lastError).toContain('try again later');
    expect(pending.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + 1000);
    expect(stored.filter((n) => n.status === 'sent')).toHaveLength(8);
    const failures = await events('notification_failed', ids);
    expect(failures.find((e) => e.data!.notificationId === failed.id)!.data).toMatchObject({
      retrying: false,
      attempts: 1,
      error: expect.stringContaining('no such user'),
    });
    expect(failures.find((e) => e.data!.notificationId === pending.id)!.data).toMatchObject({
      retrying: true,
      attempts: 1,
      nextAttemptAt: pending.nextAttemptAt!.toISOString(),
    });

    // The job's retry: only the pending row is claimed again (its due time is pg-boss's business).
    const retried = await outbox().sendMany(em(), ids);
    expect([...retried].filter(([, r]) => r !== 'skipped')).toEqual([[pending.id, 'sent']]);
    const mails = mailsTo(hubSmtp, '@mixed.test').map((m) => m.to[0]);
    expect(mails.sort()).toEqual(
      messages
        .map((m) => m.recipient)
        .filter((r) => r !== 'buyer3@mixed.test')
        .sort(),
    );
    expect(await rows([pending.id])).toMatchObject([{ status: 'sent', attempts: 2, lastError: null }]);
    expect(await events('notification_sent', [pending.id])).toMatchObject([{ data: { attempts: 2 } }]);
  });

  it('two workers sending the same batch at once send each email once', async () => {
    const messages = await emailsFor(shopA, 40, 'race.test');
    const ids = [...(await enqueue(messages)).values()];
    const [a, b] = await Promise.all([outbox().sendMany(em(), ids), outbox().sendMany(em(), ids)]);
    for (const id of ids) expect([a.get(id), b.get(id)].sort()).toEqual(['sent', 'skipped']);
    expect(mailsTo(hubSmtp, '@race.test')).toHaveLength(40);
    expect(new Set(mailsTo(hubSmtp, '@race.test').map((m) => m.to[0])).size).toBe(40);
    expect(await events('notification_sent', ids)).toHaveLength(40);
  });

  it("takes over a row whose worker died holding it only after the lease, and ignores ids that aren't rows", async () => {
    const messages = await emailsFor(shopA, 1, 'lease.test');
    const [id] = [...(await enqueue(messages)).values()];
    const leaseEndsIn = (seconds: number) =>
      em()
        .getConnection()
        .execute(
          `update notification set status = 'sending', attempts = 1, claimed_at = ?, lease_until = ? where id = ?`,
          [new Date(Date.now() - 60_000), new Date(Date.now() + seconds * 1000), id],
        );
    const heldJobs = async () =>
      (
        await em()
          .getConnection()
          .execute<{ data: SendJob; start_after: Date }[]>(
            `select data, start_after from pgboss.job where name = ? and data->'notificationIds' @> ?::jsonb
              order by created_on`,
            [SEND_NOTIFICATION_QUEUE, JSON.stringify([id])],
          )
      ).slice(1); // the first is the row's own send job
    await leaseEndsIn(20);
    expect(await outbox().send(em(), id!)).toBe('skipped');
    // The worker holding it may be dead: a send job of its own comes when that lease ends.
    const [followUp] = await heldJobs();
    expect(followUp!.data.notificationIds).toEqual([id]);
    expect(new Date(followUp!.start_after).getTime()).toBeGreaterThanOrEqual(Date.now() + 19_000);
    await leaseEndsIn(-1);
    const results = await outbox().sendMany(em(), [id!, 'not-a-uuid', randomUUID()]);
    expect([...results.values()]).toEqual(['sent', 'skipped', 'skipped']);
    expect(mailsTo(hubSmtp, '@lease.test')).toHaveLength(1);
    expect(await rows([id!])).toMatchObject([{ status: 'sent', attempts: 2 }]);
    expect(await heldJobs()).toHaveLength(1); // nothing left held, nothing more queued
  });

  it('writes each outcome as soon as the server accepts the message, while the batch is still sending', async () => {
    const messages = await emailsFor(shopA, 30, 'each.test');
    const ids = [...(await enqueue(messages)).values()];
    const accepted = () =>
      mailsTo(hubSmtp, '@each.test').map((m) => /^X-Handoff-Notification: (\S+)$/m.exec(m.raw)![1]!);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let checked: { accepted: string[]; sent: string[] } | null = null;
    // After ten accepted messages the server stops answering: the batch is mid-way.
    hubSmtp.gate(async (stage) => {
      if (stage !== 'data' || accepted().length < 10) return;
      if (!checked) {
        checked = { accepted: [], sent: [] };
        const deadline = Date.now() + 5000;
        do {
          checked.accepted = accepted();
          checked.sent = (await rows(ids)).filter((n) => n.status === 'sent').map((n) => n.id);
          if (checked.accepted.every((a) => checked!.sent.includes(a))) break;
          await new Promise((r) => setTimeout(r, 20));
        } while (Date.now() < deadline);
        release();
      }
      await released;
    });
    try {
      const results = await outbox().sendMany(em(), ids);
      expect([...results.values()]).toEqual(Array(30).fill('sent'));
    } finally {
      hubSmtp.gate(null);
    }
    expect(checked!.accepted.length).toBeGreaterThanOrEqual(10);
    expect(checked!.sent.sort()).toEqual([...checked!.accepted].sort());
    expect(mailsTo(hubSmtp, '@each.test')).toHaveLength(30);
  });

  it('a channel message on a channel that cannot message buyers ends failed', async () => {
    const [message] = await emailsFor(shopA, 1, 'channel.test');
    const created = await enqueue([{ ...message!, transport: 'channel', recipient: 'ext-0' }]);
    const id = created.get(message!.dedupKey)!;
    expect(await outbox().send(em(), id)).toBe('failed');
    expect(await rows([id])).toMatchObject([{ status: 'failed', lastError: 'the channel cannot message buyers' }]);
  });

  it('the sweep queues stranded rows as one job, once per interval', async () => {
    const messages = await emailsFor(shopA, 3, 'sweep.test');
    const ids = [...(await enqueue(messages)).values()].sort();
    await em()
      .getConnection()
      .execute(`update notification set next_attempt_at = ? where id in (?)`, [new Date(Date.now() - 3_600_000), ids]);
    const sweptJobs = () =>
      em()
        .getConnection()
        .execute<{ data: { notificationIds: string[] } }[]>(
          `select data from pgboss.job where name = ? and singleton_key like 'sweep:%'`,
          [SEND_NOTIFICATION_QUEUE],
        );
    expect(await outbox().sweep(em())).toBeGreaterThanOrEqual(3);
    await outbox().sweep(em());
    const jobs = await sweptJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data.notificationIds).toEqual(expect.arrayContaining(ids));
  });

  it('reads both send job payloads', () => {
    const id = randomUUID();
    expect(sendJobIds({ notificationIds: [id, 'b'] })).toEqual([id, 'b']);
    expect(sendJobIds({ notificationId: id })).toEqual([id]);
    expect(sendJobIds({ notificationIds: [1, null, id] })).toEqual([id]);
    expect(sendJobIds({})).toEqual([]);
    expect(sendJobIds(null)).toEqual([]);
  });

  it('a batch costs a few statements plus one per message (its outcome, written at once)', async () => {
    const statements = async <T>(work: () => Promise<T>) => {
      const before = api.queries.length;
      const result = await work();
      return { result, sql: api.queries.slice(before) };
    };
    const one = await emailsFor(shopA, 1, 'count-one.test');
    const fifty = await emailsFor(shopA, 50, 'count-fifty.test');
    const enqueueOne = await statements(() => enqueue(one));
    const enqueueFifty = await statements(() => enqueue(fifty));
    expect(enqueueFifty.sql).toHaveLength(enqueueOne.sql.length);
    const sendOne = await statements(() => outbox().sendMany(em(), [...enqueueOne.result.values()]));
    const sendFifty = await statements(() => outbox().sendMany(em(), [...enqueueFifty.result.values()]));
    expect([...sendFifty.result.values()]).toEqual(Array(50).fill('sent'));
    // begin, rows, events, job, its wake-up NOTIFY, commit; claim, merchants, the merchant's mail
    // settings, an outcome + event per message, the check for rows still held.
    expect(enqueueFifty.sql).toHaveLength(6);
    expect(sendOne.sql).toHaveLength(3 + 1 + 1);
    expect(sendFifty.sql).toHaveLength(3 + 50 + 1);
  });
});
