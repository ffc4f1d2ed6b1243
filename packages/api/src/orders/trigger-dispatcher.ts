import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { OrderTrigger } from './order-trigger.entity.js';

/** Something that reacts to order triggers (the rules engine, download revocation). Must be idempotent. */
export interface TriggerListener {
  readonly name: string;
  handle(em: EntityManager, trigger: OrderTrigger): Promise<void>;
}

/**
 * Runs every listener for each trigger, then marks it dispatched. A failure leaves the trigger
 * undispatched and fails the job, so pg-boss retries it; listeners are idempotent, so a retry after a
 * partial run is safe.
 */
export class TriggerDispatcher {
  constructor(
    private readonly clock: Clock,
    private readonly listeners: TriggerListener[] = [],
  ) {}

  addListener(listener: TriggerListener): void {
    this.listeners.push(listener);
  }

  async dispatch(em: EntityManager, triggerIds: string[]): Promise<number> {
    const triggers = await em.find(
      OrderTrigger,
      { id: { $in: triggerIds }, dispatchedAt: null },
      { orderBy: { createdAt: 'asc' } },
    );
    for (const trigger of triggers) {
      for (const listener of this.listeners) await listener.handle(em, trigger);
      await em.nativeUpdate(OrderTrigger, { id: trigger.id, dispatchedAt: null }, { dispatchedAt: this.clock.now() });
    }
    return triggers.length;
  }
}
