import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Order } from '../../orders/order.entity.js';
import { seedOrders } from '../../testing/order-factory.js';
import { startTestApi, type TestApi } from '../../testing/test-api.js';
import { Template } from '../template.entity.js';

/**
 * A transaction is one connection: queries started side by side on it overlap on one pg client
 * ("Calling client.query() when the client is already executing a query", an error in pg 9).
 * The resend of a notification renders its template inside a transaction.
 */
describe('rendering a template inside a transaction', () => {
  let api: TestApi;
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);

  beforeAll(async () => {
    process.on('warning', onWarning);
    api = await startTestApi(inject('database'));
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await api?.close();
  });

  it('runs its reads one after another on the transaction', async () => {
    const { merchantId } = await api.merchantWithKey('Render Shop');
    const { orderIds } = await seedOrders(api.orm.em.fork(), merchantId, 1);
    const rendered = await api.orm.em.fork().transactional(async (tx) => {
      const template = await tx.findOneOrFail(Template, { merchant: merchantId });
      const order = await tx.findOneOrFail(Order, { id: orderIds[0]! });
      return api.services.templates.renderFor(tx, template, order, 'http://portal.test/p/x');
    });
    await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    expect(rendered.subject.length).toBeGreaterThan(0);
    expect(warnings.filter((w) => w.includes('already executing a query'))).toEqual([]);
  });
});
