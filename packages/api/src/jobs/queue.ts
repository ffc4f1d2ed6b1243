import type { EntityManager } from '@mikro-orm/postgresql';
import PgBoss from 'pg-boss';
import type { Logger } from '../logger.js';
import { ormJobDb } from './orm-job-db.js';

export interface QueueDefinition {
  name: string;
  /** pg-boss policy: `stately` keeps at most one queued and one running job per singletonKey. */
  policy?: 'standard' | 'short' | 'singleton' | 'stately';
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
}

export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

/**
 * The Postgres job queue (pg-boss) every process shares: APIs and schedules only enqueue,
 * workers (any number of them) do the work.
 */
export class JobQueue {
  /** This process's worker ids per queue, to wake one when work for it was just queued. */
  private readonly workers = new Map<string, string[]>();
  /** Queues that got a job from this process since the last wake. */
  private readonly queuedSinceWake = new Set<string>();
  private wakes = 0;

  private constructor(
    private readonly boss: PgBoss,
    private readonly log: Logger,
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
    return new JobQueue(boss, log);
  }

  /**
   * Enqueues a job; returns null when a singleton key collapsed it into an existing one. With `tx`
   * the job commits or rolls back with that transaction.
   */
  async send<T extends object>(
    name: string,
    data: T,
    options: PgBoss.SendOptions = {},
    tx?: EntityManager,
  ): Promise<string | null> {
    const id = await this.boss.send(name, data, tx ? { ...options, db: ormJobDb(tx) } : options);
    this.queuedSinceWake.add(name);
    return id;
  }

  /**
   * Attaches a handler. A fetched batch runs concurrently; a job that throws is failed on its own
   * (pg-boss retries it with the queue's backoff) and the rest of the batch completes.
   *
   * pg-boss waits a polling interval between fetches even when it found work; after a batch this
   * worker fetches again at once (more may be waiting), and a worker of each queue this process
   * just queued work for is woken: a pipeline of jobs in one process does not wait a poll per stage.
   * (Other processes still find the work at their next poll.)
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
      this.wakeQueued();
    });
    this.workers.set(name, [...(this.workers.get(name) ?? []), self]);
    return self;
  }

  private wakeQueued(): void {
    for (const name of this.queuedSinceWake) {
      const ids = this.workers.get(name);
      if (ids?.length) this.boss.notifyWorker(ids[this.wakes++ % ids.length]!);
    }
    this.queuedSinceWake.clear();
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
      await this.boss.fail(name, job.id, { message: error?.message ?? String(error) });
    }
  }

  async getJob(name: string, id: string) {
    return this.boss.getJobById(name, id);
  }

  /** Stops fetching, waits for running jobs to finish (graceful shutdown), then closes the pool. */
  async stop(timeoutMs = 30_000): Promise<void> {
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
