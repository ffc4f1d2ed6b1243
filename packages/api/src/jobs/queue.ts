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
  /**
   * The longest one job of this queue may run. Its expiry is the worker lease, renewed while the
   * handler runs (see JobQueue.work) up to this long: a hung handler's job then expires and is retried.
   */
  maxRunSeconds: number;
}

/** Waiting jobs of one fair key counted at most (bounds the count; lower priorities gain nothing more). */
const FAIR_COUNT_LIMIT = 100;

/** pg-boss's schema (the heartbeat writes its job rows). */
const SCHEMA = 'pgboss';

/** Default worker lease: a dead worker's job expires this long after its last heartbeat. */
export const DEFAULT_LEASE_SECONDS = 20;

/** The NOTIFY channel a new job is announced on (its payload: the queue's name). */
const WAKE_CHANNEL = 'handoff_jobs';

export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

/** A worker loop's sleep between polls, which a new job can cut short. */
interface Sleeper {
  wake(): void;
}

/**
 * The Postgres job queue (pg-boss) every process shares: APIs and schedules only enqueue,
 * workers (any number of them) do the work.
 *
 * Crashed workers: every queue's jobs expire after the worker lease (`leaseSeconds`), and a worker
 * renews the expiry of the jobs it runs (a heartbeat every third of the lease). A job whose worker
 * died is expired by pg-boss's maintenance within a lease plus the maintenance interval and then
 * retried. pg-boss 10 has no heartbeat and its own `work()` fails a job once the handler outlives
 * the job's expiry, so the worker loop here fetches, renews and completes jobs itself.
 */
export class JobQueue {
  /** This process's idle workers per queue, to wake one when work for it was just queued. */
  private readonly sleepers = new Map<string, Set<Sleeper>>();
  private readonly loops = new Set<Promise<void>>();
  private wakes = 0;
  private listener: pg.Client | null = null;
  private stopping = false;
  readonly leaseMs: number;

  private constructor(
    private readonly boss: PgBoss,
    private readonly log: Logger,
    private readonly databaseUrl: string,
    private readonly definitions: Map<string, QueueDefinition>,
    leaseSeconds: number,
  ) {
    this.leaseMs = leaseSeconds * 1000;
  }

  static async connect(
    databaseUrl: string,
    log: Logger,
    queues: QueueDefinition[],
    options: { supervise?: boolean; maintenanceIntervalSeconds?: number; leaseSeconds?: number } = {},
  ): Promise<JobQueue> {
    const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: SCHEMA,
      max: 4,
      application_name: 'handoff',
      supervise: options.supervise ?? true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 10,
      schedule: false, // schedules are node-cron's (ScheduleRegistry)
    });
    boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
    await boss.start();
    for (const queue of queues) await ensureQueue(boss, queue, leaseSeconds);
    return new JobQueue(boss, log, databaseUrl, new Map(queues.map((q) => [q.name, q])), leaseSeconds);
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
   * Starts a worker loop for a queue: fetch a batch, run it, fetch again at once (more may be
   * waiting), else sleep a polling interval or until a new job wakes it (send's NOTIFY, see listen).
   * A fetched batch runs concurrently with its heartbeat; a job that throws is failed on its own
   * (pg-boss retries it with the queue's backoff) and the rest of the batch completes.
   */
  async work<T>(
    name: string,
    handler: JobHandler<T>,
    options: { batchSize?: number; pollingIntervalSeconds?: number } = {},
  ): Promise<void> {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`unknown queue: ${name}`);
    const batchSize = options.batchSize ?? 1;
    const pollMs = (options.pollingIntervalSeconds ?? 2) * 1000;
    const loop = this.loop(definition, handler, batchSize, pollMs);
    this.loops.add(loop);
    void loop.finally(() => this.loops.delete(loop));
    if (!this.listener) await this.listen();
  }

  private async loop<T>(
    definition: QueueDefinition,
    handler: JobHandler<T>,
    batchSize: number,
    pollMs: number,
  ): Promise<void> {
    const { name } = definition;
    while (!this.stopping) {
      let jobs: PgBoss.JobWithMetadata<T>[] = [];
      try {
        jobs = (await this.boss.fetch<T>(name, { batchSize, includeMetadata: true })) ?? [];
      } catch (error) {
        if (!this.stopping) this.log.warn({ queue: name, err: error }, 'could not fetch jobs; polling on');
      }
      if (jobs.length) await this.runBatch(definition, jobs, handler);
      else await this.sleep(name, pollMs);
    }
  }

  private sleep(name: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const idle = this.sleepers.get(name) ?? new Set<Sleeper>();
      this.sleepers.set(name, idle);
      const sleeper: Sleeper = {
        wake() {
          clearTimeout(timer);
          idle.delete(sleeper);
          resolve();
        },
      };
      const timer = setTimeout(() => sleeper.wake(), ms);
      idle.add(sleeper);
    });
  }

  /**
   * One connection per process LISTENs for new jobs and wakes an idle local worker of their queue.
   * If it cannot connect or loses its connection, workers still poll; it retries every 5 s.
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
      const idle = payload ? [...(this.sleepers.get(payload) ?? [])] : [];
      if (idle.length) idle[this.wakes++ % idle.length]!.wake();
    });
    client.on('error', retry);
    try {
      await client.connect();
      await client.query(`listen ${WAKE_CHANNEL}`);
    } catch (error) {
      retry(error);
    }
  }

  private async runBatch<T>(
    definition: QueueDefinition,
    jobs: PgBoss.JobWithMetadata<T>[],
    handler: JobHandler<T>,
  ): Promise<void> {
    const { name } = definition;
    const ids = jobs.map((j) => j.id);
    const until = Date.now() + definition.maxRunSeconds * 1000;
    const heartbeat = setInterval(() => {
      if (Date.now() < until) void this.renew(name, ids);
    }, this.leaseMs / 3);
    let outcomes: PromiseSettledResult<void>[];
    try {
      outcomes = await Promise.allSettled(
        jobs.map((job) => handler(job.data, { id: job.id, retryCount: job.retryCount })),
      );
    } finally {
      clearInterval(heartbeat);
    }
    for (const [i, outcome] of outcomes.entries()) {
      const job = jobs[i]!;
      try {
        if (outcome.status === 'fulfilled') await this.boss.complete(name, job.id);
        else {
          const error = outcome.reason as Error;
          this.log.warn({ queue: name, jobId: job.id, err: error }, 'job failed; pg-boss retries it');
          await this.boss.fail(name, job.id, { message: safeErrorMessage(error) });
        }
      } catch (error) {
        // The job stays active, expires after the lease and is retried: handlers are idempotent.
        this.log.warn({ queue: name, jobId: job.id, err: error }, 'could not record a job outcome');
      }
    }
  }

  /** The heartbeat: the running jobs expire a lease from now (pg-boss expires `started_on + expire_in`). */
  private async renew(name: string, ids: string[]): Promise<void> {
    try {
      await this.boss.getDb().executeSql(
        `update ${SCHEMA}.job set expire_in = (now() - started_on) + $3 * interval '1 millisecond'
            where name = $1 and id = any($2::uuid[]) and state = 'active'`,
        [name, ids, this.leaseMs],
      );
    } catch (error) {
      if (!this.stopping) this.log.warn({ queue: name, err: error }, 'could not renew running jobs');
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
    for (const idle of this.sleepers.values()) for (const sleeper of [...idle]) sleeper.wake();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.loops]),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    await this.boss.stop({ graceful: true, wait: true, timeout: 1000 });
  }
}

/** Deadlock and unique violation: what two processes creating the same queue at once run into. */
const RACE_CODES = new Set(['40P01', '23505']);

/**
 * Creates or updates a queue. The api and worker processes start together on a fresh database and
 * both do this; pg-boss's queue creation can deadlock with itself, so a lost race is retried.
 */
async function ensureQueue(
  boss: PgBoss,
  { name, maxRunSeconds: _, ...definition }: QueueDefinition,
  leaseSeconds: number,
): Promise<void> {
  // Every queue's jobs expire after the lease unless their worker renews them (see runBatch).
  const options = { name, ...definition, expireInSeconds: leaseSeconds };
  for (let attempt = 1; ; attempt++) {
    try {
      if (await boss.getQueue(name)) await boss.updateQueue(name, options);
      else await boss.createQueue(name, options);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (!code || !RACE_CODES.has(code) || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}
