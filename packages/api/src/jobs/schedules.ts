import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import type { JobQueue } from './queue.js';

export interface Schedule {
  /** Unique name; with the tick time it forms the singleton key, so N workers enqueue once. */
  name: string;
  cron: string;
  queue: string;
  data: object;
  /** Overrides the per-tick key (e.g. a connection id, for a `stately` queue's one-queued-per-key rule). */
  singletonKey?: string;
}

/**
 * node-cron ticks in every worker process; each tick only enqueues. pg-boss's singleton key
 * (schedule name + minute slot) collapses the copies other workers enqueue for the same tick.
 */
export class ScheduleRegistry {
  private readonly tasks = new Map<string, { task: ScheduledTask; cron: string }>();

  constructor(
    private readonly queue: JobQueue,
    private readonly log: Logger,
  ) {}

  set(schedule: Schedule): void {
    if (!cron.validate(schedule.cron))
      throw new Error(`Invalid cron expression for ${schedule.name}: ${schedule.cron}`);
    this.remove(schedule.name);
    const task = cron.schedule(schedule.cron, async () => {
      try {
        await this.fire(schedule, new Date());
      } catch (error) {
        this.log.error({ err: error, schedule: schedule.name }, 'could not enqueue a scheduled job');
      }
    });
    this.tasks.set(schedule.name, { task, cron: schedule.cron });
  }

  /** One tick: enqueue for the tick's minute slot (null when another worker already did). */
  fire(schedule: Schedule, at: Date): Promise<string | null> {
    const slot = Math.floor(at.getTime() / 60_000);
    return this.queue.send(schedule.queue, schedule.data, {
      singletonKey: `${schedule.name}@${slot}`,
      singletonSeconds: 60,
    });
  }

  remove(name: string): void {
    const entry = this.tasks.get(name);
    if (entry) void entry.task.destroy();
    this.tasks.delete(name);
  }

  names(): string[] {
    return [...this.tasks.keys()];
  }

  stopAll(): void {
    for (const name of [...this.tasks.keys()]) this.remove(name);
  }
}
