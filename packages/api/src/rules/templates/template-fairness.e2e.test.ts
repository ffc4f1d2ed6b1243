import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSmtpTestServer, type SmtpTestServer } from '@handoff/connectors/notify/smtp/testing/smtp-test-server';
import type { NormalizedOrder } from '@handoff/shared';
import { Product } from '../../catalog/product.entity.js';
import { ChannelConnection } from '../../channels/channel-connection.entity.js';
import { systemClock } from '../../clock.js';
import { registerJobs } from '../../jobs/register-jobs.js';
import { createLogger } from '../../logger.js';
import { OrderEvent } from '../../orders/order-event.entity.js';
import { normalizedOrder } from '../../testing/normalized-order.js';
import { startTestApi, type TestApi } from '../../testing/test-api.js';
import { Notification } from '../notification.entity.js';
import { RuleExecution } from '../rule-execution.entity.js';
import { Rule } from '../rule.entity.js';
import { Template } from '../template.entity.js';
import { singleNodeSlow, renderLimitHit } from './testing/slow-templates.js';

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Rules of merchant A, each sending its own slow template: A's page runs one round per rule. */
const SLOW_RULES = 6;

/**
 * One merchant's templates that run into the render limit hold neither the worker's event loop
 * nor another merchant's emails: the real worker handlers (dispatch → rule run → send), a real
 * SMTP server, two render threads.
 */
describe('template renders are fair between merchants', () => {
  let api: TestApi;
  let smtp: SmtpTestServer;
  let workers: { stop(): void };
  const shops: Record<'a' | 'b', { merchantId: string; connectionId: string }> = {} as never;
  const em = () => api.orm.em.fork();

  beforeAll(async () => {
    smtp = await startSmtpTestServer();
    api = await startTestApi(inject('database'), {
      env: {
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        NOTIFY_CONCURRENCY: '2',
        TEMPLATE_RENDER_THREADS: '2',
        TEMPLATE_RENDER_TIMEOUT_MS: '1000',
      },
    });
    workers = await registerJobs({
      log: createLogger('silent', 'worker'),
      orm: api.orm,
      clock: systemClock,
      services: api.services,
    });
    for (const key of ['a', 'b'] as const) {
      const { merchantId } = await api.merchantWithKey(`Shop ${key}`);
      const fork = em();
      const connection = fork.create(ChannelConnection, { merchant: merchantId, kind: 'generic', name: 'Shop' });
      fork.create(Product, { merchant: merchantId, sku: 'EBOOK', name: 'E-book', digital: true });
      await fork.flush();
      shops[key] = { merchantId, connectionId: connection.id };
    }
    // Merchant A's templates slipped in before saving checked them: each runs past the limit.
    const fork = em();
    const slow = (n: number) => ({
      en: { subject: 'S', html: `${singleNodeSlow}{% comment %}${n}{% endcomment %}`, text: 'T' },
    });
    await fork.nativeUpdate(Template, { merchant: shops.a.merchantId }, { variants: slow(0), fallbackLanguage: 'en' });
    for (let n = 1; n <= SLOW_RULES - 1; n++) {
      const template = fork.create(Template, {
        merchant: shops.a.merchantId,
        name: `Slow ${n}`,
        fallbackLanguage: 'en',
        variants: slow(n),
      });
      fork.create(Rule, {
        merchant: shops.a.merchantId,
        name: `Slow ${n}`,
        position: n + 1,
        trigger: 'order.paid',
        actions: [{ code: 'send_notification', args: { templateId: template.id, transport: 'email' } }],
      });
    }
    await fork.flush();
    await api.services.templateRenderer.warmUp();
  });

  afterAll(async () => {
    workers?.stop();
    await api?.services.mailTransports.close();
    await api?.close();
    await smtp?.close();
  });

  const importOrders = (shop: 'a' | 'b', orders: NormalizedOrder[]) =>
    em().transactional((tx) =>
      api.services.importer.importBatch(tx, shops[shop], orders, { source: 'sync', actor: 'test' }),
    );
  const order = (id: string) =>
    normalizedOrder(id, {
      items: [{ sku: 'EBOOK', title: 'Book', unitPrice: 1990 }],
      buyer: { email: `${id}@buyer.test`, name: 'Ada', language: 'en', country: 'DE' },
    });
  const executionsOfA = () => em().find(RuleExecution, { merchant: shops.a.merchantId });

  it("merchant B's email goes out while merchant A's page is stuck on its slow templates; A's runs fail visibly", async () => {
    await importOrders('a', [order('a-1'), order('a-2'), order('a-3')]);
    await until(async () => (await executionsOfA()).length > 0); // A's page is running
    await importOrders('b', [order('b-1')]);

    await until(() => smtp.received.some((m) => m.to.includes('b-1@buyer.test')));
    const whenBWasSent = await executionsOfA();
    expect(whenBWasSent.filter((e) => e.status !== 'failed').length).toBeGreaterThan(0);

    await until(async () => {
      const runs = await executionsOfA();
      return runs.length === 3 * SLOW_RULES && runs.every((e) => e.status === 'failed');
    }, 60_000);
    for (const run of await executionsOfA()) expect(run.lastError).toMatch(renderLimitHit(1000));
    expect(await em().count(Notification, { merchant: shops.a.merchantId })).toBe(0);
    expect(await em().count(OrderEvent, { merchant: shops.a.merchantId, type: 'rule_failed' })).toBeGreaterThanOrEqual(
      3 * SLOW_RULES,
    );
    expect(smtp.received.flatMap((m) => m.to).filter((to) => to.startsWith('a-'))).toEqual([]);
  }, 120_000);
});
