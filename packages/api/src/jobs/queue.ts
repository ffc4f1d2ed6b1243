import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import PgBoss from 'pg-boss';
import { sql } from '../db/sql.js';
import type { Logger } from '../logger.js';
import { ormJobDb } from './orm-job-db.js';
import { safeErrorMessage } from '../db/driver-error.js';

export interface QueueDefinition {
  name: string;
  /** pg-boss policy: `stately` keeps at most one queued and one running job per singletonKey. */
  policy?: 'standard' | 'short' | 'singleton' | 'stately';
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
}

/** Waiting jobs of one fair key counted at most (bounds the count; lower priorities gain nothing more). */
const FAIR_COUNT_LIMIT = 100;

/** The NOTIFY channel a new job is announced on (its payload: the queue's name). */
const WAKE_CHANNEL = 'handoff_jobs';

export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

/**
 * The Postgres job queue (pg-boss) every process shares: APIs and schedules only enqueue,
 * workers (any number of them) do the work.
 */
export class JobQueue {
  /** This process's worker ids per queue, to wake one when work for it was just queued. */
  private readonly workers = new Map<string, string[]>();
  private wakes = 0;
  private listener: pg.Client | null = null;
  private stopping = false;

  private constructor(
    private readonly boss: PgBoss,
    private readonly log: Logger,
    private readonly databaseUrl: string,
  ) {}

  static async connect(
    databaseUrl: string,
    log: Logger,
    queues: QueueDefinition[],
    options: { supervise?: boolean; maintenanceIntervalSeconds?: number } = {},
  ): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: 'pgboss',
      max: 4,
      application_name: 'handoff',
      supervise: options.supervise ?? true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
      schedule: false, // schedules are node-cron's (ScheduleRegistry)
    });
    boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
    await boss.start();
    for (const queue of queues) await ensureQueue(boss, queue);
    return new JobQueue(boss, log, databaseUrl);
  }

  /**
   * Enqueues a job; returns null when a singleton key collapsed it into an existing one. With `tx`
   * the job commits or rolls back with that transaction.
   */
  async send<T extends object>(
    name: string,
    data: T,
    options: PgBoss.SendOptions & { wake?: boolean; fairKey?: string } = {},
    tx?: EntityManager,
  ): Promise<string | null> {
    const { wake = true, fairKey, ...sendOptions } = options;
    if (fairKey) {
      // The nth waiting job of a key (a merchant) gets priority -n: workers fetch by priority,
      // so one merchant's backlog of pages takes turns with another merchant's first page.
      sendOptions.priority = -(await this.waiting(name, fairKey, tx));
      data = { ...data, fairKey };
    }
    const id = await this.boss.send(name, data, tx ? { ...sendOptions, db: ormJobDb(tx) } : sendOptions);
    // Wakes a worker of this queue in every process as soon as the job is visible: NOTIFY is
    // delivered on commit (and dropped on rollback). A delayed job, or a job that only backs up
    // work the caller does itself (`wake: false`), is left to the polling.
    if (id && wake && !sendOptions.startAfter) {
      if (tx) await sql(tx, 'select pg_notify(?, ?)', [WAKE_CHANNEL, name]);
      else await this.boss.getDb().executeSql('select pg_notify($1, $2)', [WAKE_CHANNEL, name]);
    }
    return id;
  }

  /** Jobs of `fairKey` waiting in the queue, counted up to FAIR_COUNT_LIMIT. */
  private async waiting(name: string, fairKey: string, tx?: EntityManager): Promise<number> {
    const query = (queue: string, key: string) =>
      `select count(*)::int as n from (select 1 from pgboss.job
         where name = ${queue} and state = 'created' and data->>'fairKey' = ${key} limit ${FAIR_COUNT_LIMIT}) waiting`;
    const rows = tx
      ? await sql<{ n: number }>(tx, query('?', '?'), [name, fairKey])
      : ((await this.boss.getDb().executeSql(query('$1', '$2'), [name, fairKey])) as { rows: { n: number }[] }).rows;
    return rows[0]?.n ?? 0;
  }

  /**
   * Attaches a handler. A fetched batch runs concurrently; a job that throws is failed on its own
   * (pg-boss retries it with the queue's backoff) and the rest of the batch completes.
   *
   * pg-boss waits a polling interval between fetches even when it found work; after a batch this
   * worker fetches again at once (more may be waiting), and a new job wakes one worker of its queue
   * (send's NOTIFY, see listen): a pipeline of jobs does not wait a poll per stage. Polling stays
   * as the fallback (a lost notification, a listener reconnecting).
   */
  async work<T>(
    name: string,
    handler: JobHandler<T>,
    options: { batchSize?: number; pollingIntervalSeconds?: number } = {},
  ): Promise<string> {
    let self = '';
    self = await this.boss.work<T>(name, { batchSize: 1, pollingIntervalSeconds: 2, ...options }, async (jobs) => {
      await this.runBatch(name, jobs, handler);
      this.boss.notifyWorker(self);
    });
    this.workers.set(name, [...(this.workers.get(name) ?? []), self]);
    if (!this.listener) await this.listen();
    return self;
  }

  /**
   * One connection per process LISTENs for new jobs and wakes a local worker of their queue. If it
   * cannot connect or loses its connection, workers still poll; it retries every 5 s.
   */
  private async listen(): Promise<void> {
    if (this.stopping) return; // a retry timer that fires after stop()
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'handoff-wake' });
    this.listener = client;
    const retry = (error: unknown) => {
      if (this.listener !== client) return;
      this.listener = null;
      client.end().catch(() => {});
      if (this.stopping) return;
      this.log.warn({ err: error }, 'job wake-up listener is down; workers poll meanwhile');
      setTimeout(() => void this.listen(), 5000).unref();
    };
    client.on('notification', ({ payload }) => {
      const ids = payload ? this.workers.get(payload) : undefined;
      if (ids?.length) this.boss.notifyWorker(ids[this.wakes++ % ids.length]!);
    });
    client.on('error', retry);
    try {
      await client.connect();
      await client.query(`listen ${WAKE_CHANNEL}`);
    } catch (error) {
      retry(error);
    }
  }

  private async runBatch<T>(name: string, jobs: PgBoss.Job<T>[], handler: JobHandler<T>): Promise<void> {
    const outcomes = await Promise.allSettled(
      jobs.map((job) =>
        handler(job.data, { id: job.id, retryCount: (job as { retryCount?: number }).retryCount ?? 0 }),
      ),
    );
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled') continue;
      const job = jobs[i]!;
      const error = outcome.reason as Error;
      this.log.warn({ queue: name, jobId: job.id, err: error }, 'job failed; pg-boss retries it');
      await this.boss.fail(name, job.id, { message: safeErrorMessage(error) });
    }
  }

  async getJob(name: string, id: string) {
    return this.boss.getJobById(name, id);
  }

  /** Stops fetching, waits for running jobs to finish (graceful shutdown), then closes the pool. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    await this.listener?.end().catch(() => {});
    this.listener = null;
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
  }
}

/** Deadlock and unique violation: what two processes creating the same queue at once run into. */
const RACE_CODES = new Set(['40P01', '23505']);

/**
 * Creates or updates a queue. The api and worker processes start together on a fresh database and
 * both do this; pg-boss's queue creation can deadlock with itself, so a lost race is retried.
 */
async function ensureQueue(boss: PgBoss, { name, ...options }: QueueDefinition): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (await boss.getQueue(name)) await boss.updateQueue(name, { name, ...options });
      else await boss.createQueue(name, { name, ...options });
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RACE_CODES.has(code) || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}
