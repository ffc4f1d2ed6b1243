import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedOrders } from '../../testing/order-factory.js';
import { startTestApi, type TestApi } from '../../testing/test-api.js';
import { Notification } from '../notification.entity.js';
import { Template } from '../template.entity.js';
import { nestedLoops, singleNodeSlow, renderLimitHit } from './testing/slow-templates.js';

type Errors = { code: string; message: string; field: string[] | null }[];
type Merchant = { merchantId: string; apiKey: string; orderId: string; templateId: string };

const input = (html: string) => ({
  name: `T ${Math.random()}`,
  fallbackLanguage: 'en',
  variants: [{ language: 'en', subject: 'Order {{ order.number }}', html, text: 'Hi' }],
});
const preview = 'query($t: ID!, $o: ID!) { renderTemplate(templateId: $t, orderId: $o) { subject html } }';

/** Templates that would stall the API: refused on save, and rendered off the event loop if one slipped in. */
describe('template limits over GraphQL', () => {
  let api: TestApi;
  let a: Merchant;
  let b: Merchant;

  beforeAll(async () => {
    api = await startTestApi(inject('database'), { env: { TEMPLATE_RENDER_TIMEOUT_MS: '1000' } });
    const merchant = async (name: string): Promise<Merchant> => {
      const { merchantId, apiKey } = await api.merchantWithKey(name);
      const { orderIds } = await seedOrders(api.orm.em.fork(), merchantId, 1);
      const created = await api.gql<{ createTemplate: { template: { id: string } } }>(
        'mutation($i: TemplateInput!) { createTemplate(input: $i) { template { id } } }',
        { i: input('<p>{{ order.number }}</p>') },
        apiKey,
      );
      return { merchantId, apiKey, orderId: orderIds[0]!, templateId: created.data!.createTemplate.template.id };
    };
    a = await merchant('Shop A');
    b = await merchant('Shop B');
  });
  afterAll(() => api.close());

  it('createTemplate and updateTemplate refuse the nested-loop template with BAD_USER_INPUT', async () => {
    const created = await api.gql<{ createTemplate: { template: null; userErrors: Errors } }>(
      'mutation($i: TemplateInput!) { createTemplate(input: $i) { template { id } userErrors { code message field } } }',
      { i: input(nestedLoops) },
      a.apiKey,
    );
    expect(created.data!.createTemplate).toEqual({
      template: null,
      userErrors: [
        {
          code: 'BAD_USER_INPUT',
          field: ['variants', '0'],
          message: expect.stringContaining('variants.0: too expensive to render for a large order'),
        },
      ],
    });
    const updated = await api.gql<{ updateTemplate: { userErrors: Errors } }>(
      'mutation($id: ID!, $i: TemplateInput!) { updateTemplate(id: $id, input: $i) { userErrors { code message } } }',
      { id: a.templateId, i: input(nestedLoops) },
      a.apiKey,
    );
    expect(updated.data!.updateTemplate.userErrors).toEqual([
      { code: 'BAD_USER_INPUT', message: expect.stringContaining('too expensive to render') },
    ]);
  });

  it('a slow template that slipped in fails its preview after the limit; meanwhile health and another merchant are answered', async () => {
    await api.orm.em
      .fork()
      .nativeUpdate(
        Template,
        { id: a.templateId },
        { variants: { en: { subject: 'S', html: singleNodeSlow, text: 'T' } } },
      );
    await api.services.templateRenderer.warmUp(); // the other preview need not wait for a thread to start
    const finished: string[] = [];
    const stuck = api.gql(preview, { t: a.templateId, o: a.orderId }, a.apiKey).then((res) => {
      finished.push('slow preview');
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the slow preview is rendering
    const health = fetch(`${api.url}/healthz`).then((res) => (finished.push('health'), res.status));
    const other = api
      .gql<{ renderTemplate: { html: string } }>(preview, { t: b.templateId, o: b.orderId }, b.apiKey)
      .then((res) => (finished.push('other merchant'), res));
    const [slow, healthStatus, otherPreview] = await Promise.all([stuck, health, other]);

    expect(healthStatus).toBe(200);
    expect(otherPreview.data!.renderTemplate.html).toMatch(/^<p>#\d+<\/p>$/);
    expect(finished.indexOf('slow preview')).toBe(2);
    expect(slow.errors?.[0]).toMatchObject({
      message: expect.stringMatching(renderLimitHit(1000)),
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  // Merchant A's template is the slow one since the test above.
  it('resending a message of the slow template is refused with the render error; no second message is queued', async () => {
    const em = api.orm.em.fork();
    const queued = await api.services.outbox.enqueueMany(em, [
      {
        merchantId: a.merchantId,
        orderId: a.orderId,
        executionId: null,
        templateId: a.templateId,
        transport: 'email',
        recipient: 'buyer@example.com',
        language: 'en',
        subject: 'S',
        html: 'H',
        text: 'T',
        dedupKey: `test:${Math.random()}`,
        resendOf: null,
        actor: 'test',
      },
    ]);
    const [id] = [...queued.values()];
    const res = await api.gql<{ resendNotification: { notification: null; userErrors: Errors } }>(
      'mutation($id: ID!) { resendNotification(id: $id) { notification { id } userErrors { code message } } }',
      { id },
      a.apiKey,
    );
    expect(res.data!.resendNotification).toEqual({
      notification: null,
      userErrors: [
        {
          code: 'BAD_USER_INPUT',
          message: expect.stringMatching(renderLimitHit(1000)),
        },
      ],
    });
    expect(await em.count(Notification, { merchant: a.merchantId })).toBe(1);
  });
});
