import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { OrderTrigger } from './order-trigger.entity.js';

/** Orders dispatched side by side within one job (each holds a pooled connection while it runs). */
const ORDER_CONCURRENCY = 6;

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
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    // One order's triggers run in their order (paid before refunded); different orders run side by side.
    const byOrder = new Map<string, OrderTrigger[]>();
    for (const trigger of triggers) {
      const group = byOrder.get(trigger.order.id);
      if (group) group.push(trigger);
      else byOrder.set(trigger.order.id, [trigger]);
    }
    const queue = [...byOrder.values()];
    const failures: unknown[] = [];
    const lanes = Array.from({ length: Math.min(ORDER_CONCURRENCY, queue.length) }, async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        try {
          for (const trigger of group) await this.dispatchOne(em.fork(), trigger);
        } catch (error) {
          failures.push(error); // the rest of this order waits for the retry; other orders go on
        }
      }
    });
    await Promise.all(lanes);
    if (failures.length) throw failures[0];
    return triggers.length;
  }

  private async dispatchOne(em: EntityManager, trigger: OrderTrigger): Promise<void> {
    for (const listener of this.listeners) await listener.handle(em, trigger);
    await em.nativeUpdate(OrderTrigger, { id: trigger.id, dispatchedAt: null }, { dispatchedAt: this.clock.now() });
  }
}
