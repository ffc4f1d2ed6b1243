import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedDigitalProduct } from '../../testing/digital-product.js';
import { ChannelConnection } from '../../channels/channel-connection.entity.js';
import { systemClock } from '../../clock.js';
import { DownloadGrant } from '../../downloads/download-grant.entity.js';
import { tempRoot } from '../../downloads/testing/download-fixture.js';
import { createLogger } from '../../logger.js';
import { OrderEvent } from '../../orders/order-event.entity.js';
import { Order } from '../../orders/order.entity.js';
import type { PortalCodeService } from '../../portal/portal-code.service.js';
import { normalizedOrder } from '../../testing/normalized-order.js';
import { startTestApi, type TestApi } from '../../testing/test-api.js';
import { Notification } from '../notification.entity.js';
import { RuleExecution } from '../rule-execution.entity.js';
import { Rule } from '../rule.entity.js';
import { Template } from '../template.entity.js';
import { RuleRunner } from './rule-runner.js';

const PORTAL = /http:\/\/portal\.test\/p\/([A-Za-z0-9_-]{32})/;

/**
 * Rule runs as a batch: the executions of a dispatch page run right away with batched reads and
 * commit together, with one delayed run-rule job as the safety net; failures stay with their
 * execution and are retried by that job; a stale read falls back to one execution at a time.
 */
describe('rule runs in batches', () => {
  let api: TestApi;
  let root: Awaited<ReturnType<typeof tempRoot>>;
  let merchantId: string;
  let connectionId: string;
  const em = () => api.orm.em.fork();
  const sql = <T>(text: string, params: unknown[] = []) => em().getConnection().execute<T[]>(text, params);

  beforeAll(async () => {
    root = await tempRoot();
    api = await startTestApi(inject('database'), {
      env: { HANDOFF_STORAGE_ROOTS: root.dir, PORTAL_URL: 'http://portal.test' },
    });
    ({ merchantId } = await api.merchantWithKey('Batch Shop'));
    const e = em();
    const connection = e.create(ChannelConnection, { merchant: merchantId, kind: 'generic', name: 'Shop' });
    await seedDigitalProduct(e, merchantId, {
      root: root.dir,
      sku: 'EBOOK',
      name: 'E-book',
      file: { ref: 'book.pdf', displayName: 'Book.pdf' },
    });
    connectionId = connection.id;
  });

  afterAll(async () => {
    await api?.close();
    await root?.remove();
  });

  /** Imports orders in one transaction and dispatches their triggers; returns the new run-rule jobs. */
  async function importPaid(prefix: string, n: number, status: 'paid' | 'pending' = 'paid'): Promise<RunJob[]> {
    const orders = Array.from({ length: n }, (_, i) =>
      normalizedOrder(`${prefix}-${i}`, {
        status,
        items: [{ sku: 'EBOOK', title: 'E-book' }],
        buyer: { email: `${prefix}-${i}@buyer.test`, name: 'Ada', language: i % 2 ? 'en' : 'de', country: 'DE' },
      }),
    );
    await em().transactional((tx) =>
      api.services.importer.importBatch(tx, { connectionId, merchantId }, orders, { source: 'sync', actor: 'test' }),
    );
    const triggers = await sql<{ id: string }>(
      `select id from order_trigger where dispatched_at is null and merchant_id = ?`,
      [merchantId],
    );
    const before = await runJobs();
    await api.services.triggers.dispatch(
      em(),
      triggers.map((t) => t.id),
    );
    return (await runJobs()).slice(before.length);
  }
  interface RunJob {
    ids: string[];
    delaySeconds: number;
  }
  const runJobs = async (): Promise<RunJob[]> =>
    (
      await sql<{ data: { executionIds: string[] }; delay: number }>(
        `select data, extract(epoch from start_after - created_on)::int as delay from pgboss.job
          where name = 'run-rule' order by created_on, id`,
      )
    ).map((j) => ({ ids: j.data.executionIds, delaySeconds: Number(j.delay) }));
  const ordersOf = (prefix: string) =>
    em().find(
      Order,
      { merchant: merchantId, externalId: { $like: `${prefix}-%` } },
      { orderBy: { externalId: 'asc' } },
    );

  it('a page of paid orders runs at once and commits together: grants and one email each; the job only backs it up', async () => {
    const jobs = await importPaid('page', 25);
    // The executions ran during the dispatch; their job waits a minute, for what that run left.
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.ids).toHaveLength(25);
    expect(jobs[0]!.delaySeconds).toBeGreaterThanOrEqual(55);
    for (const order of await ordersOf('page')) {
      const [grants, notes, events] = await Promise.all([
        em().find(DownloadGrant, { order: order.id }),
        em().find(Notification, { order: order.id }),
        em().find(OrderEvent, { order: order.id, type: { $in: ['downloads_granted', 'rule_ran'] } }),
      ]);
      expect(grants).toHaveLength(1);
      expect(notes).toHaveLength(1);
      expect(events.map((e) => e.type).sort()).toEqual(['downloads_granted', 'rule_ran']);
      // The template lists the grant the same run created, and links this order's live portal code
      // (stored as its mark: only live codes are marked, and no code is stored in the clear).
      expect(notes[0]!.text).toContain('Book.pdf');
      expect(notes[0]!.text).toContain(`http://portal.test/p/[[portal-code:${order.id}]]`);
      expect(notes[0]!.text).not.toMatch(PORTAL);
    }
    const executions = await em().find(RuleExecution, { id: { $in: jobs[0]!.ids } });
    expect(executions).toHaveLength(25);
    expect(executions.every((e) => e.status === 'succeeded' && e.attempts === 1)).toBe(true);
    expect(executions[0]!.results.map((r) => r.code)).toEqual(['grant_downloads', 'send_notification']);
    expect(executions[0]!.results[1]).toMatchObject({ status: 'done', notificationId: expect.any(String) });

    // The safety job when it comes, or a redelivery: nothing is claimed, nothing written twice.
    expect((await api.services.ruleEngine.run(em(), jobs[0]!.ids)).size).toBe(0);
    const orderIds = (await ordersOf('page')).map((o) => o.id);
    expect(await em().count(Notification, { order: { $in: orderIds } })).toBe(25);
    expect(await em().count(DownloadGrant, { order: { $in: orderIds } })).toBe(25);
    expect(await em().count(RuleExecution, { order: { $in: orderIds } })).toBe(25);
  });

  it('a failing rule fails only its own executions; the others commit and the job is retried', async () => {
    const template = await em().findOneOrFail(Template, { merchant: merchantId });
    const doomed = em().create(Template, {
      merchant: merchantId,
      name: 'Doomed',
      variants: template.variants,
      fallbackLanguage: template.fallbackLanguage,
    });
    const e = em();
    const tagRule = e.create(Rule, {
      merchant: merchantId,
      name: 'Tag and mail',
      position: 10,
      trigger: 'order.paid',
      actions: [
        { code: 'add_tag', args: { tag: 'vip' } },
        { code: 'send_notification', args: { templateId: doomed.id, transport: 'email' } },
      ],
    });
    await e.persist(doomed).flush();
    try {
      // The template goes before the orders arrive: the tag rule's runs fail during the dispatch.
      await sql('delete from template where id = ?', [doomed.id]);
      const jobs = await importPaid('fail', 4);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.ids).toHaveLength(8); // default rule + tag rule, for 4 orders

      const check = async (attempts: number) => {
        const executions = await em().find(RuleExecution, { id: { $in: jobs[0]!.ids } }, { populate: ['rule'] });
        const failed = executions.filter((x) => x.rule.id === tagRule.id);
        expect(failed.map((x) => [x.status, x.attempts])).toEqual(Array(4).fill(['failed', attempts]));
        expect(failed[0]!.lastError).toContain('template of this action no longer exists');
        expect(failed[0]!.results).toEqual([
          { code: 'add_tag', status: 'done', detail: 'tagged "vip" (rolled back)' },
          expect.objectContaining({ code: 'send_notification', status: 'failed' }),
        ]);
        const others = executions.filter((x) => x.rule.id !== tagRule.id);
        expect(others.map((x) => [x.status, x.attempts])).toEqual(Array(4).fill(['succeeded', 1]));
        for (const order of await ordersOf('fail')) {
          // The failed run's tag was never written; each failure is on the order.
          expect(order.tags).not.toContain('vip');
          expect(await em().count(Notification, { order: order.id })).toBe(1);
          expect(await em().count(OrderEvent, { order: order.id, type: 'rule_failed' })).toBe(attempts);
        }
      };
      await check(1);
      // The job retries only the failed runs (and fails again: pg-boss backs off and retries).
      await expect(api.services.ruleEngine.run(em(), jobs[0]!.ids)).rejects.toThrow('4 of 4 rule run(s) failed');
      await check(2);
    } finally {
      await em().nativeDelete(Rule, { id: tagRule.id });
    }
  });

  it('a portal code created between read and commit: the batch is redone one execution at a time', async () => {
    // Pending orders fire no rule; the merchant re-runs the default rule on each (queued, not run yet).
    await importPaid('race', 3, 'pending');
    const orders = await ordersOf('race');
    const rule = await em().findOneOrFail(Rule, { merchant: merchantId, trigger: 'order.paid' });
    const ctx = { em: em(), actor: { merchantId, name: 'test' } } as Parameters<
      typeof api.services.ruleEngine.rerunRule
    >[0];
    const ids: string[] = [];
    for (const order of orders) ids.push((await api.services.ruleEngine.rerunRule(ctx, rule.id, order.id)).id);

    const real = api.services.portalCodes;
    let raced = false;
    // Another writer (the merchant copying the link) creates the first order's code right after our read.
    const racing = Object.assign(Object.create(real) as PortalCodeService, {
      currentLinks: async (reader: Parameters<PortalCodeService['currentLinks']>[0], orderIds: string[]) => {
        const links = await real.currentLinks(reader, orderIds);
        if (!raced) {
          raced = true;
          await real.ensurePortalCode(em(), { id: orders[0]!.id, merchantId });
        }
        return links;
      },
    });
    const runner = new RuleRunner(
      {
        clock: systemClock,
        templates: api.services.templates,
        portalCodes: racing,
        outbox: api.services.outbox,
        ports: {
          channelCanMessage: async () => false,
          templateExists: async () => true,
          templateName: async () => null,
        },
      },
      createLogger('silent', 'test'),
    );
    const outcomes = await runner.run(em(), ids);
    expect(raced).toBe(true);
    expect([...outcomes.values()]).toEqual(['succeeded', 'succeeded', 'succeeded']);
    for (const order of orders) {
      const [note] = await em().find(Notification, { order: order.id });
      expect(note!.text).toContain(`http://portal.test/p/[[portal-code:${order.id}]]`);
      expect(note!.text).not.toMatch(PORTAL);
    }
  });
});
