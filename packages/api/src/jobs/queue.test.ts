import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm } from '../db/orm.js';
import { createLogger } from '../logger.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { JobQueue } from './queue.js';
import { QUEUES } from './queues.js';
import { ScheduleRegistry } from './schedules.js';

const log = createLogger('silent', 'queue-test');
const QUEUE = { name: 'test-jobs', policy: 'standard' as const, retryLimit: 2, retryDelay: 1, maxRunSeconds: 60 };

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Two worker processes' queues on one database: each job runs once, failures are retried. */
describe('job queue (pg-boss)', () => {
  let db: TestDatabase;
  let workerA: JobQueue;
  let workerB: JobQueue;

  beforeAll(async () => {
    db = await createTestDatabase(inject('database'));
    workerA = await JobQueue.connect(db.url, log, [QUEUE]);
    workerB = await JobQueue.connect(db.url, log, [QUEUE]);
  });
  afterAll(async () => {
    await workerA.stop(2000);
    await workerB.stop(2000);
    await db.drop();
  });

  it('runs each of 20 jobs exactly once across two workers, and retries a failure', async () => {
    const runs: number[] = [];
    let failedOnce = false;
    const handler = async (data: { n: number }) => {
      if (data.n === 7 && !failedOnce) {
        failedOnce = true;
        throw new Error('transient');
      }
      runs.push(data.n);
    };
    await workerA.work(QUEUE.name, handler, { pollingIntervalSeconds: 0.5 });
    await workerB.work(QUEUE.name, handler, { pollingIntervalSeconds: 0.5 });
    for (let n = 0; n < 20; n++) await workerA.send(QUEUE.name, { n });
    await until(() => runs.length >= 20);
    await new Promise((r) => setTimeout(r, 1500));
    expect([...runs].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(failedOnce).toBe(true);
  });

  it('a schedule tick fired by every worker enqueues one job per slot', async () => {
    const regA = new ScheduleRegistry(workerA, log);
    const regB = new ScheduleRegistry(workerB, log);
    const schedule = { name: 'every-minute', cron: '* * * * *', queue: QUEUE.name, data: { n: 100 } };
    const at = new Date('2026-11-22T10:00:30Z');
    const ids = await Promise.all([
      regA.fire(schedule, at),
      regB.fire(schedule, at),
      regA.fire(schedule, new Date(at.getTime() + 10_000)),
    ]);
    expect(ids.filter(Boolean)).toHaveLength(1);
    const next = await regB.fire(schedule, new Date(at.getTime() + 60_000));
    expect(next).toBeTruthy();
  });

  it('processes that start together on a fresh database all get their queues (no deadlock between them)', async () => {
    for (let round = 0; round < 3; round++) {
      const fresh = await createTestDatabase(inject('database'));
      try {
        const queues = await Promise.all(
          [1, 2, 3].map(() => JobQueue.connect(fresh.url, log, QUEUES, { supervise: false })),
        );
        expect(await queues[0]!.send(QUEUES[0]!.name, { ok: true })).toBeTruthy();
        await Promise.all(queues.map((q) => q.stop(1000)));
      } finally {
        await fresh.drop();
      }
    }
  });

  it('a job queued by another process wakes an idle worker at once instead of at its next poll', async () => {
    const WAKE = { name: 'wake-jobs', policy: 'standard' as const, maxRunSeconds: 60 };
    const sleeper = await JobQueue.connect(db.url, log, [WAKE]);
    const sender = await JobQueue.connect(db.url, log, [WAKE]);
    try {
      const handled: number[] = [];
      await sleeper.work<{ n: number }>(WAKE.name, async ({ n }) => void handled.push(n), {
        pollingIntervalSeconds: 60,
      });
      await new Promise((r) => setTimeout(r, 1000)); // its first (empty) fetch is done: it sleeps a minute
      await sender.send(WAKE.name, { n: 1 });
      // Handled long before the worker's next poll (a minute away).
      await until(() => handled.length === 1, 10_000);
      // Inside a transaction the wake-up comes with the commit; a rollback leaves neither job nor wake-up.
      const orm = await openOrm(db.url, { poolMax: 2 });
      try {
        await orm.em
          .fork()
          .transactional(async (tx) => {
            await sender.send(WAKE.name, { n: 2 }, {}, tx);
            throw new Error('roll back');
          })
          .catch(() => {});
        await orm.em.fork().transactional((tx) => sender.send(WAKE.name, { n: 3 }, {}, tx));
        await until(() => handled.length === 2, 10_000);
        await new Promise((r) => setTimeout(r, 500));
        expect(handled).toEqual([1, 3]);
      } finally {
        await orm.close();
      }
    } finally {
      await sleeper.stop(2000);
      await sender.stop(2000);
    }
  });

  it('the wake-up listener comes back after its connection is killed, wakes workers again, and stays down after stop()', async () => {
    const WAKE = { name: 'wake-after-loss', policy: 'standard' as const, maxRunSeconds: 60 };
    const sleeper = await JobQueue.connect(db.url, log, [WAKE]);
    const sender = await JobQueue.connect(db.url, log, [WAKE]);
    const orm = await openOrm(db.url, { poolMax: 2 });
    const wakeConnections = async () =>
      (await orm.em
        .fork()
        .getConnection()
        .execute(
          `select pid from pg_stat_activity where application_name = 'handoff-wake' and datname = current_database()`,
        )) as { pid: number }[];
    // Other tests' queues listen on this database too: only the sleeper's connection counts.
    const others = new Set((await wakeConnections()).map((c) => c.pid));
    const listeners = async () => (await wakeConnections()).filter((c) => !others.has(c.pid));
    try {
      const handled: number[] = [];
      await sleeper.work<{ n: number }>(WAKE.name, async ({ n }) => void handled.push(n), {
        pollingIntervalSeconds: 60,
      });
      const [before] = await listeners();
      expect(before).toBeDefined();
      // The database drops the listener's connection (a restart, a failover, an idle-session kill).
      await orm.em.fork().getConnection().execute('select pg_terminate_backend(?)', [before!.pid]);
      // It reconnects on its own (after 5 s) with a new backend…
      const deadline = Date.now() + 15_000;
      let after: { pid: number } | undefined;
      while (!after && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        after = (await listeners()).find((l) => l.pid !== before!.pid);
      }
      expect(after).toBeDefined();
      await new Promise((r) => setTimeout(r, 500)); // its LISTEN is in place
      // …and a new job wakes the worker long before its next poll (a minute away).
      await sender.send(WAKE.name, { n: 1 });
      await until(() => handled.length === 1, 10_000);
      expect(handled).toEqual([1]);
      // Lost again, and the process stops before the retry is due: the retry opens nothing that
      // would outlive the queue (and keep a stopping process alive).
      await orm.em.fork().getConnection().execute('select pg_terminate_backend(?)', [after!.pid]);
      await new Promise((r) => setTimeout(r, 250));
      await sleeper.stop(2000);
      await new Promise((r) => setTimeout(r, 6000));
      expect(await listeners()).toEqual([]);
    } finally {
      await orm.close();
      await sleeper.stop(2000).catch(() => {});
      await sender.stop(2000);
    }
  }, 45_000);

  it('a job running longer than the lease keeps it by its heartbeat: not expired, not run twice', async () => {
    const LONG = { name: 'long-jobs', policy: 'standard' as const, retryLimit: 2, retryDelay: 1, maxRunSeconds: 60 };
    const a = await JobQueue.connect(db.url, log, [LONG], { leaseSeconds: 2, maintenanceIntervalSeconds: 1 });
    const b = await JobQueue.connect(db.url, log, [LONG], { leaseSeconds: 2, maintenanceIntervalSeconds: 1 });
    try {
      const runs: string[] = [];
      const handler = async (_data: object, job: { id: string }) => {
        runs.push(job.id);
        await new Promise((r) => setTimeout(r, 6000)); // three leases
      };
      await a.work(LONG.name, handler, { pollingIntervalSeconds: 0.5 });
      await b.work(LONG.name, handler, { pollingIntervalSeconds: 0.5 });
      const id = await a.send(LONG.name, {});
      await until(() => runs.length === 1);
      await new Promise((r) => setTimeout(r, 7000));
      expect(runs).toEqual([id]);
      expect((await a.getJob(LONG.name, id!))?.state).toBe('completed');
    } finally {
      await a.stop(2000);
      await b.stop(2000);
    }
  }, 30_000);

  it('rejects an invalid cron expression', () => {
    const reg = new ScheduleRegistry(workerA, log);
    expect(() => reg.set({ name: 'bad', cron: 'every tuesday', queue: QUEUE.name, data: {} })).toThrow(/Invalid cron/);
  });

  it("fair keys: one merchant's backlog of pages takes turns with another merchant's, in and out of a transaction", async () => {
    const fair = { name: 'fair-jobs', policy: 'standard' as const, maxRunSeconds: 60 };
    const queue = await JobQueue.connect(db.url, log, [fair]);
    const orm = await openOrm(db.url);
    try {
      for (const page of ['a1', 'a2', 'a3']) await queue.send(fair.name, { page }, { fairKey: 'merchant-a' });
      await orm.em.fork().transactional((tx) => queue.send(fair.name, { page: 'b1' }, { fairKey: 'merchant-b' }, tx));
      await queue.send(fair.name, { page: 'b2' }, { fairKey: 'merchant-b' });
      const order: string[] = [];
      await queue.work<{ page: string }>(fair.name, async ({ page }) => void order.push(page), {
        pollingIntervalSeconds: 0.5,
      });
      await until(() => order.length === 5);
      expect(order).toEqual(['a1', 'b1', 'a2', 'b2', 'a3']);
    } finally {
      await queue.stop(2000);
      await orm.close();
    }
  });
});
