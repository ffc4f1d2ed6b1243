import { randomUUID } from 'node:crypto';
import { startSmtpTestServer, type SmtpTestServer } from '@handoff/connectors/notify/smtp/testing/smtp-test-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm, type Orm } from '../../packages/api/src/db/orm.js';
import { sql } from '../../packages/api/src/db/sql.js';
import { JobQueue } from '../../packages/api/src/jobs/queue.js';
import { QUEUES } from '../../packages/api/src/jobs/queues.js';
import { createLogger } from '../../packages/api/src/logger.js';
import { Merchant } from '../../packages/api/src/merchants/merchant.entity.js';
import { insertNotifications } from '../../packages/api/src/rules/notifications/outbox-store.js';
import { SEND_NOTIFICATION_QUEUE } from '../../packages/api/src/rules/notifications/outbox.service.js';
import { seedOrders } from '../../packages/api/src/testing/order-factory.js';
import { createTestDatabase, type TestDatabase } from '../../packages/api/src/testing/test-database.js';
import { cleanEnv, startProcess, type RunningProcess } from '../support/processes.js';

const SECRET = 'outbox-crash-e2e-secret-0123456789abcdef';
const TRIALS = 20;
const EMAILS = 100;
/** Short lease and retry delay so trials recover in seconds (defaults: 20 s and 30 s). */
const LEASE_SECONDS = 8;
const STAGES = ['mail', 'rcpt', 'data'] as const;
/** Workers running side by side: while a killed one restarts (slow on a busy machine), others work. */
const WORKERS = 2;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const notificationId = (raw: string) => /^X-Handoff-Notification: (\S+)$/m.exec(raw)?.[1] ?? '';

/** A worker process and the SMTP server it sends to (so a session tells whose it is). */
interface Slot {
  smtp: SmtpTestServer;
  worker: RunningProcess;
  sessions: Set<string>;
}

/**
 * Two real worker processes send batches of 100 emails to SMTP servers in this process. In each of
 * 20 trials a new batch is queued and the worker that answers the k-th MAIL FROM, RCPT TO or end of
 * DATA (stage and k random) is killed (SIGKILL) while the server holds that answer, and restarted
 * at once; the next trial starts right away (a worker starts slowly on a busy machine). Every email
 * must arrive exactly once (by its outbox id header), each batch's last within two minutes of its
 * worker's restart.
 *
 * What a crash can never rule out: the server accepted a message (answered 250) and the worker died
 * before writing that down; the worker writes each row within milliseconds of the 250. So that the
 * trials test everything else, the kill comes once every message the servers have accepted is
 * marked sent. On the code as it was (outcomes written after the whole batch) that never happens:
 * the kill comes after 5 s, and the batch goes out again after the old 5-minute lease.
 */
describe('workers killed while they send, 20 times', () => {
  let db: TestDatabase;
  let orm: Orm;
  let queue: JobQueue;
  let merchantId: string;
  let orderIds: string[];
  const slots: Slot[] = [];
  const processes: RunningProcess[] = [];
  /** Sessions of killed workers: refused from then on (their bytes may still arrive). */
  const dead = new Set<string>();
  let plan: { stage: (typeof STAGES)[number]; k: number; seen: number; killed: (slot: Slot) => void } | null = null;
  let frozen: Promise<void> | null = null;
  /** When each message was first seen accepted. */
  const arrivals = new Map<string, number>();

  /** The outbox ids of accepted messages, read once each (this process answers the SMTP sessions too). */
  const ids: string[] = [];
  const read = new Map<Slot, number>();
  const received = () => {
    for (const slot of slots) {
      const mails = slot.smtp.received;
      for (let i = read.get(slot) ?? 0; i < mails.length; i++) ids.push(notificationId(mails[i]!.raw));
      read.set(slot, mails.length);
    }
    return ids;
  };
  const unsent = async (ids: string[]) =>
    (
      await sql<{ n: number }>(
        orm.em.fork(),
        `select count(*)::int as n from notification where id = any(?::uuid[]) and status <> 'sent'`,
        [ids],
      )
    )[0]!.n;

  const startWorker = (slot: Pick<Slot, 'smtp'>): RunningProcess => {
    const worker = startProcess(
      process.execPath,
      ['packages/api/dist/bin/worker.js'],
      cleanEnv({
        DATABASE_URL: db.url,
        HANDOFF_SECRET: SECRET,
        SMTP_URL: `smtp://127.0.0.1:${slot.smtp.port}`,
        WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
        JOB_MAINTENANCE_INTERVAL_SECONDS: '1',
        NOTIFY_RETRY_DELAY_SECONDS: '1',
        LOG_LEVEL: 'warn',
      }),
    );
    processes.push(worker);
    return worker;
  };

  /** Holds every answer, waits until all accepted messages are marked sent (5 s at most), kills. */
  async function kill(slot: Slot): Promise<void> {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await unsent(received())) > 0) await pause(20);
    for (const id of slot.sessions) dead.add(id);
    slot.sessions.clear();
    const exited = new Promise((r) => slot.worker.child.once('exit', r));
    slot.worker.child.kill('SIGKILL');
    await exited;
  }

  async function openSlot(): Promise<void> {
    const smtp = await startSmtpTestServer();
    const slot = { smtp, sessions: new Set<string>() } as Slot;
    smtp.gate(async (stage, session) => {
      if (dead.has(session.id)) throw new Error('the worker of this session was killed');
      if (stage === 'connect') slot.sessions.add(session.id);
      // A held greeting would time the survivors' new connections out: only commands are held.
      if (frozen && stage !== 'connect') {
        await frozen;
        if (dead.has(session.id)) throw new Error('the worker of this session was killed');
        return;
      }
      if (!plan || stage !== plan.stage || ++plan.seen !== plan.k) return;
      const killed = plan.killed;
      plan = null;
      frozen = kill(slot);
      await frozen;
      frozen = null;
      killed(slot);
      throw new Error('the worker of this session was killed');
    });
    slot.worker = startWorker(slot);
    slots.push(slot);
  }

  beforeAll(async () => {
    db = await createTestDatabase(inject('database'));
    orm = await openOrm(db.url);
    const em = orm.em.fork();
    const merchant = em.create(Merchant, { name: 'Crash shop' });
    await em.flush();
    merchantId = merchant.id;
    ({ orderIds } = await seedOrders(orm.em.fork(), merchantId, EMAILS, { emailDomain: 'crash.test' }));
    queue = await JobQueue.connect(db.url, createLogger('silent', 'e2e'), QUEUES, {
      supervise: false,
      leaseSeconds: LEASE_SECONDS,
    });
    for (let i = 0; i < WORKERS; i++) await openSlot();
  });

  afterAll(async () => {
    for (const slot of slots) slot.smtp.gate(null);
    await Promise.all(processes.map((w) => w.stop(10_000)));
    await queue?.stop(2000);
    await Promise.all(slots.map((s) => s.smtp.close()));
    await orm?.close();
    await db?.drop();
  });

  /** 100 outbox rows and their send job, as a rule run commits them. */
  async function enqueue(trial: number): Promise<string[]> {
    const rows = orderIds.map((orderId, i) => ({
      id: randomUUID(),
      merchantId,
      orderId,
      executionId: null,
      templateId: null,
      transport: 'email' as const,
      recipient: `buyer${i}@crash.test`,
      language: 'en',
      replyTo: null,
      subject: `Your files (trial ${trial}, ${i})`,
      html: `<p>Hello ${i}</p>`,
      text: `Hello ${i}`,
      dedupKey: `crash:${trial}:${i}`,
      resendOf: null,
    }));
    await orm.em.fork().transactional(async (tx) => {
      await insertNotifications(tx, rows, new Date());
      await queue.send(
        SEND_NOTIFICATION_QUEUE,
        { notificationIds: rows.map((r) => r.id) },
        { retryLimit: 10, retryDelay: 1, retryBackoff: true },
        tx,
      );
    });
    return rows.map((r) => r.id);
  }

  it('every email arrives exactly once, each batch within 2 minutes of the restart', async () => {
    let seen = 0;
    const watch = setInterval(() => {
      const now = received();
      for (; seen < now.length; seen++) if (!arrivals.has(now[seen]!)) arrivals.set(now[seen]!, Date.now());
    }, 50);
    const trials: { ids: string[]; restartedAt: number; what: string }[] = [];
    try {
      for (let trial = 0; trial < TRIALS; trial++) {
        const stage = STAGES[Math.floor(Math.random() * STAGES.length)]!;
        const k = 1 + Math.floor(Math.random() * (EMAILS - 1));
        const killed = new Promise<Slot>((resolve) => (plan = { stage, k, seen: 0, killed: resolve }));
        const batch = await enqueue(trial);
        const slot = await killed;
        slot.worker = startWorker(slot);
        trials.push({ ids: batch, restartedAt: Date.now(), what: `trial ${trial}: killed at ${stage} #${k}` });
      }
      const all = trials.flatMap((t) => t.ids);
      const deadline = Date.now() + 130_000;
      while (all.some((id) => !arrivals.has(id)) && Date.now() < deadline) await pause(100);
      await pause(LEASE_SECONDS * 1000 + 2000); // nothing arrives late (a retried job sending again)
    } finally {
      clearInterval(watch);
    }
    const counts = new Map<string, number>();
    for (const id of received()) counts.set(id, (counts.get(id) ?? 0) + 1);
    const recoveries: number[] = [];
    for (const { ids, restartedAt, what } of trials) {
      expect(
        ids.filter((id) => counts.get(id) !== 1),
        what,
      ).toEqual([]);
      const last = Math.max(...ids.map((id) => arrivals.get(id)!));
      recoveries.push(last - restartedAt);
      expect(last - restartedAt, what).toBeLessThan(120_000);
    }
    expect(received()).toHaveLength(TRIALS * EMAILS);
    expect(await unsent(received())).toBe(0);
    console.log(`last email of each batch after its restart: ${recoveries.map((ms) => (ms / 1000).toFixed(1))} s`);
  }, 600_000); // about a minute on an idle machine; workers start slowly on a busy one
});
