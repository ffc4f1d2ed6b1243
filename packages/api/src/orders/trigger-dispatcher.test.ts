import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { systemClock } from '../clock.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { normalizedOrder } from '../testing/normalized-order.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import type { DispatchedTrigger } from './order-trigger.repository.js';
import { TriggerDispatcher, type TriggerListener } from './trigger-dispatcher.js';

/** A listener that records the pages it gets and fails every page holding one of `failing`. */
function listener(failing: Set<string>) {
  const pages: string[][] = [];
  const handler: TriggerListener = {
    name: 'test',
    async handle(_em: EntityManager, triggers: DispatchedTrigger[]) {
      const orders = triggers.map((t) => t.orderId);
      pages.push(orders);
      if (orders.some((o) => failing.has(o))) throw new Error('this order fails');
    },
  };
  return { handler, pages };
}

describe('trigger dispatch', () => {
  let api: TestApi;
  const em = () => api.orm.em.fork();

  beforeAll(async () => {
    api = await startTestApi(inject('database'));
  });
  afterAll(() => api.close());

  async function importOrders(externalIds: string[]) {
    const e = em();
    const merchant = e.create(Merchant, { name: 'Dispatch' });
    const connection = e.create(ChannelConnection, { merchant, kind: 'generic', name: 'Shop' });
    await e.flush();
    await em().transactional((tx) =>
      api.services.importer.importBatch(
        tx,
        { connectionId: connection.id, merchantId: merchant.id },
        externalIds.map((id) => normalizedOrder(id, { status: 'pending' })),
        { source: 'sync', actor: 'test' },
      ),
    );
    const rows = await em()
      .getConnection()
      .execute<{ id: string; order_id: string; external_id: string }[]>(
        `select t.id, t.order_id, o.external_id from order_trigger t join "order" o on o.id = t.order_id
          where t.merchant_id = ? order by o.external_id`,
        [merchant.id],
      );
    const orderOf = new Map(rows.map((r) => [r.external_id, r.order_id]));
    const dispatched = async () =>
      (
        await em()
          .getConnection()
          .execute<{ external_id: string }[]>(
            `select o.external_id from order_trigger t join "order" o on o.id = t.order_id
              where t.merchant_id = ? and t.dispatched_at is not null order by 1`,
            [merchant.id],
          )
      ).map((r) => r.external_id);
    return { triggerIds: rows.map((r) => r.id), orderOf, dispatched };
  }

  it('a page that fails is taken apart per order: the failing order waits for the retry, the others are done', async () => {
    const { triggerIds, orderOf, dispatched } = await importOrders(['A', 'B', 'C']);
    const failing = new Set([orderOf.get('B')!]);
    const { handler, pages } = listener(failing);
    const dispatcher = new TriggerDispatcher(systemClock, [handler]);

    await expect(dispatcher.dispatch(em(), triggerIds)).rejects.toThrow('this order fails');
    // The page once, then each order on its own.
    expect(pages[0]).toHaveLength(3);
    expect(pages.slice(1).map((p) => p.length)).toEqual([1, 1, 1]);
    expect(await dispatched()).toEqual(['A', 'C']);

    // The retry (pg-boss runs the job again) gets only what is left; an order alone is not split again.
    pages.length = 0;
    await expect(dispatcher.dispatch(em(), triggerIds)).rejects.toThrow('this order fails');
    expect(pages).toEqual([[orderOf.get('B')]]);

    failing.clear();
    expect(await dispatcher.dispatch(em(), triggerIds)).toBe(1);
    expect(await dispatched()).toEqual(['A', 'B', 'C']);
    expect(await dispatcher.dispatch(em(), triggerIds)).toBe(0);
  });
});
