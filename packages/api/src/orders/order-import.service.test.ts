import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { Product } from '../catalog/product.entity.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { normalizedOrder } from '../testing/normalized-order.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import type { ImportSource } from './order-import.service.js';
import { OrderItem } from './order-item.entity.js';
import { Order } from './order.entity.js';

const bySync: ImportSource = { source: 'sync', actor: 'test' };
const byWebhook: ImportSource = { source: 'webhook', actor: 'test' };
const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 10, minutes));

describe('order import', () => {
  let api: TestApi;
  let target: { connectionId: string; merchantId: string };
  const em = () => api.orm.em.fork();
  const importBatch = (orders: Parameters<TestApi['services']['importer']['importBatch']>[2], by = bySync) =>
    em().transactional((tx) => api.services.importer.importBatch(tx, target, orders, by));
  const triggers = async (externalId: string) =>
    (
      await em()
        .getConnection()
        .execute<{ kind: string }[]>(
          `select t.kind from order_trigger t join "order" o on o.id = t.order_id where o.external_id = ? and o.connection_id = ? order by t.created_at, t.kind`,
          [externalId, target.connectionId],
        )
    ).map((r) => r.kind);
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await em().getConnection().execute<{ n: number }[]>(sql, params))[0]!.n);

  beforeAll(async () => {
    api = await startTestApi(inject('database'));
  });
  afterAll(() => api.close());

  beforeEach(async () => {
    const e = em();
    const merchant = e.create(Merchant, { name: 'Importer' });
    const connection = e.create(ChannelConnection, { merchant, kind: 'shopify', name: 'Shop' });
    e.create(Product, { merchant, sku: 'SKU-A', name: 'E-book' });
    await e.flush();
    target = { connectionId: connection.id, merchantId: merchant.id };
  });

  it('creates a paid order with its lines, history and the imported + paid triggers', async () => {
    expect(await importBatch([normalizedOrder('A1')])).toEqual({
      created: 1,
      updated: 0,
      unchanged: 0,
      stale: 0,
      refused: [],
    });
    const order = await em().findOneOrFail(Order, { externalId: 'A1', connection: target.connectionId });
    expect(order).toMatchObject({ status: 'paid', buyerEmail: 'buyer@example.com', total: 2000, currency: 'EUR' });
    const items = await em().find(OrderItem, { order }, { orderBy: { externalId: 'asc' }, populate: ['product'] });
    expect(items.map((i) => [i.sku, i.product?.sku ?? null])).toEqual([
      ['SKU-A', 'SKU-A'],
      ['SKU-B', null],
    ]);
    expect(await triggers('A1')).toEqual(['order.imported', 'order.paid']);
  });

  it('writes nothing for an unchanged re-import, even with a newer modification time', async () => {
    await importBatch([normalizedOrder('A2')]);
    const before = await em().findOneOrFail(Order, { externalId: 'A2', connection: target.connectionId });
    const events = await count('select count(*)::int as n from order_event where order_id = ?', [before.id]);
    api.queries.length = 0;
    expect(await importBatch([normalizedOrder('A2', { updatedAt: at(30) })])).toMatchObject({ unchanged: 1 });
    expect(api.queries.filter((q) => /^\s*(insert|update|delete)/i.test(q.replace(/^\[query\]\s*/, '')))).toEqual([]);
    const after = await em().findOneOrFail(Order, { id: before.id });
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(await count('select count(*)::int as n from order_event where order_id = ?', [before.id])).toBe(events);
  });

  it('fires "became paid" once, whether the order arrives paid or turns paid later, reported any number of times', async () => {
    await importBatch([normalizedOrder('A3', { status: 'pending', paidAt: null, updatedAt: at(1) })]);
    expect(await triggers('A3')).toEqual(['order.imported']);
    await importBatch([normalizedOrder('A3', { status: 'paid', updatedAt: at(2) })], byWebhook);
    await importBatch([normalizedOrder('A3', { status: 'paid', updatedAt: at(3), tags: ['resync'] })]);
    await importBatch([normalizedOrder('A3', { status: 'completed', updatedAt: at(4) })]);
    const kinds = await triggers('A3');
    expect(kinds.filter((k) => k === 'order.paid')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'order.status_changed')).toHaveLength(2);
  });

  it('ignores a stale report (an old webhook retry) and keeps the newer state', async () => {
    await importBatch([normalizedOrder('A4', { status: 'refunded', updatedAt: at(20) })]);
    expect(await importBatch([normalizedOrder('A4', { status: 'paid', updatedAt: at(10) })], byWebhook)).toMatchObject({
      stale: 1,
    });
    const order = await em().findOneOrFail(Order, { externalId: 'A4', connection: target.connectionId });
    expect(order.status).toBe('refunded');
    expect(await triggers('A4')).toEqual(['order.imported', 'order.refunded']);
  });

  it('records a partial refund per line and a dropped line as cancelled', async () => {
    await importBatch([normalizedOrder('A5', { updatedAt: at(1), items: [{}, { sku: 'SKU-B' }, { sku: 'SKU-C' }] })]);
    await importBatch([
      normalizedOrder('A5', {
        status: 'partially_refunded',
        updatedAt: at(2),
        items: [{ refundedQuantity: 1 }, { sku: 'SKU-B' }],
      }),
    ]);
    const items = await em().find(
      OrderItem,
      { order: { externalId: 'A5', connection: target.connectionId } },
      { orderBy: { externalId: 'asc' } },
    );
    expect(items.map((i) => [i.externalId, i.refundedQuantity, i.cancelled])).toEqual([
      ['A5-1', 1, false],
      ['A5-2', 0, false],
      ['A5-3', 0, true],
    ]);
    const kinds = await triggers('A5');
    expect(kinds.filter((k) => k === 'order.line_refunded')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'order.paid')).toHaveLength(1);
  });

  it('a changed order gets its new fields, its changed and new lines, and a product that appeared since', async () => {
    await importBatch([normalizedOrder('A17', { updatedAt: at(1), items: [{ sku: 'SKU-Z', title: 'Old title' }] })]);
    const e = em();
    e.create(Product, { merchant: target.merchantId, sku: 'SKU-Z', name: 'Late product' });
    await e.flush();
    await importBatch([
      normalizedOrder('A17', {
        updatedAt: at(2),
        status: 'completed',
        buyer: { email: 'new@buyer.test', name: 'Ada New', language: 'en', country: 'GB' },
        tags: ['vip', 'a,b'],
        raw: { id: 'A17', revision: 2 },
        items: [{ sku: 'SKU-Z', title: 'New title', quantity: 2 }, { sku: 'SKU-A' }],
      }),
    ]);
    const order = await em().findOneOrFail(Order, { externalId: 'A17', connection: target.connectionId });
    expect(order).toMatchObject({
      status: 'completed',
      buyerEmail: 'new@buyer.test',
      buyerName: 'Ada New',
      tags: ['vip', 'a,b'],
    });
    const [stored] = await em()
      .getConnection()
      .execute<{ raw: unknown }[]>('select raw from "order" where id = ?', [order.id]);
    expect(stored?.raw).toEqual({ id: 'A17', revision: 2 });
    const items = await em().find(OrderItem, { order }, { orderBy: { externalId: 'asc' }, populate: ['product'] });
    expect(items.map((i) => [i.externalId, i.title, i.quantity, i.product?.sku ?? null])).toEqual([
      ['A17-1', 'New title', 2, 'SKU-Z'],
      ['A17-2', 'E-book', 1, 'SKU-A'],
    ]);
    const events = await count(
      "select count(*)::int as n from order_event where order_id = ? and type = 'status_changed'",
      [order.id],
    );
    expect(events).toBe(1);
  });

  it('a webhook and a sync page reporting the same new order at once give one order and one paid trigger', async () => {
    const results = await Promise.all([
      importBatch([normalizedOrder('A6', { updatedAt: at(5) })], byWebhook),
      importBatch([normalizedOrder('A6', { updatedAt: at(5) })], bySync),
      importBatch([normalizedOrder('A6', { updatedAt: at(5) })], bySync),
    ]);
    expect(results.reduce((n, r) => n + r.created, 0)).toBe(1);
    expect(
      await count('select count(*)::int as n from "order" where external_id = ? and connection_id = ?', [
        'A6',
        target.connectionId,
      ]),
    ).toBe(1);
    expect((await triggers('A6')).filter((k) => k === 'order.paid')).toHaveLength(1);
  });

  it('a transaction that rolls back leaves no order and no queued job', async () => {
    const jobs = () => count("select count(*)::int as n from pgboss.job where name = 'dispatch-triggers'");
    const before = await jobs();
    await expect(
      em().transactional(async (tx: EntityManager) => {
        await api.services.importer.importBatch(tx, target, [normalizedOrder('A7')], bySync);
        throw new Error('boom after import');
      }),
    ).rejects.toThrow('boom');
    expect(await count('select count(*)::int as n from "order" where external_id = ?', ['A7'])).toBe(0);
    expect(await jobs()).toBe(before);
    await importBatch([normalizedOrder('A8')]);
    expect(await jobs()).toBe(before + 1);
  });

  it('keeps the newest of duplicates within one batch', async () => {
    await importBatch([
      normalizedOrder('A9', { status: 'pending', updatedAt: at(9) }),
      normalizedOrder('A9', { status: 'cancelled', updatedAt: at(11) }),
    ]);
    const order = await em().findOneOrFail(Order, { externalId: 'A9', connection: target.connectionId });
    expect(order.status).toBe('cancelled');
    expect(await triggers('A9')).toEqual(['order.cancelled', 'order.imported']);
  });
});
