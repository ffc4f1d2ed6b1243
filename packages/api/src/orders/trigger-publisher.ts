import type { EntityManager } from '@mikro-orm/postgresql';
import type { JobQueue } from '../jobs/queue.js';

export const DISPATCH_TRIGGERS_QUEUE = 'dispatch-triggers';

/** Hands new triggers to the workers, inside the transaction that created them. */
export interface TriggerPublisher {
  /** `merchantId`: whose triggers they are (pages of different merchants take turns). */
  publish(tx: EntityManager, triggerIds: string[], merchantId?: string): Promise<void>;
}

export class QueueTriggerPublisher implements TriggerPublisher {
  constructor(private readonly queue: JobQueue) {}

  async publish(tx: EntityManager, triggerIds: string[], merchantId?: string): Promise<void> {
    if (triggerIds.length === 0) return;
    await this.queue.send(DISPATCH_TRIGGERS_QUEUE, { triggerIds }, { fairKey: merchantId }, tx);
  }
}
