import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { markDispatched, undispatchedTriggers, type DispatchedTrigger } from './order-trigger.repository.js';

/** Orders dispatched side by side when a page has to be taken apart (each holds a pooled connection). */
const ORDER_CONCURRENCY = 6;

/**
 * Something that reacts to order triggers (the rules engine, download revocation). Gets a page of
 * triggers, oldest first (an order's triggers in the order they happened). Must be idempotent.
 */
export interface TriggerListener {
  readonly name: string;
  handle(em: EntityManager, triggers: DispatchedTrigger[]): Promise<void>;
}

/**
 * Runs every listener for a page of triggers, then marks them dispatched. The page is handled as
 * a whole (a few statements); if that fails it is taken apart per order, so one order that fails
 * stays undispatched (its job is retried by pg-boss) while the others go through. Listeners are
 * idempotent, so a retry after a partial run is safe.
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
    const triggers = await undispatchedTriggers(em, triggerIds);
    if (triggers.length === 0) return 0;
    try {
      await this.dispatchAll(em.fork(), triggers);
      return triggers.length;
    } catch (error) {
      if (new Set(triggers.map((t) => t.orderId)).size === 1) throw error;
    }
    await this.dispatchPerOrder(em, triggers);
    return triggers.length;
  }

  private async dispatchPerOrder(em: EntityManager, triggers: DispatchedTrigger[]): Promise<void> {
    const byOrder = new Map<string, DispatchedTrigger[]>();
    for (const trigger of triggers) {
      const group = byOrder.get(trigger.orderId);
      if (group) group.push(trigger);
      else byOrder.set(trigger.orderId, [trigger]);
    }
    const queue = [...byOrder.values()];
    const failures: unknown[] = [];
    const lanes = Array.from({ length: Math.min(ORDER_CONCURRENCY, queue.length) }, async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        try {
          await this.dispatchAll(em.fork(), group);
        } catch (error) {
          failures.push(error); // this order waits for the retry; other orders go on
        }
      }
    });
    await Promise.all(lanes);
    if (failures.length) throw failures[0];
  }

  private async dispatchAll(em: EntityManager, triggers: DispatchedTrigger[]): Promise<void> {
    for (const listener of this.listeners) await listener.handle(em, triggers);
    await markDispatched(
      em,
      triggers.map((t) => t.id),
      this.clock.now(),
    );
  }
}
