import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { seedOrders, type SeededOrders } from '../testing/order-factory.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';
import { PortalCode } from '../portal/portal-code.entity.js';

type Errors = { code: string; message: string; field: string[] | null }[];

/** Templates, rules, previews and portal links through GraphQL, per merchant. */
describe('rules GraphQL', () => {
  let api: TestApi;
  let a: { merchantId: string; apiKey: string };
  let b: { merchantId: string; apiKey: string };
  let seeded: SeededOrders;

  beforeAll(async () => {
    api = await startTestApi(inject('database'), { env: { PORTAL_URL: 'http://portal.test' } });
    a = await api.merchantWithKey('Shop A');
    b = await api.merchantWithKey('Shop B');
    seeded = await seedOrders(api.orm.em.fork(), a.merchantId, 2);
  });
  afterAll(() => api.close());

  const createTemplate = (html: string, key = a.apiKey, subject = 'Order {{ order.number }}') =>
    api.gql<{ createTemplate: { template: { id: string } | null; userErrors: Errors } }>(
      `mutation($i: TemplateInput!) { createTemplate(input: $i) { template { id } userErrors { code message field } } }`,
      {
        i: {
          name: `T ${Math.random()}`,
          fallbackLanguage: 'en',
          variants: [{ language: 'en', subject, html, text: 'Hi' }],
        },
      },
      key,
    );

  it('a new merchant starts with the default rule and the "Your downloads" template in four languages', async () => {
    const res = await api.gql<{
      rules: {
        edges: {
          node: { name: string; trigger: string; conditions: { code: string }[]; actions: { code: string }[] };
        }[];
      };
      templates: { edges: { node: { name: string; variants: { language: string; subject: string }[] } }[] };
    }>(
      '{ rules { edges { node { name trigger conditions { code } actions { code args } } } } templates { edges { node { name variants { language subject } } } } }',
      {},
      a.apiKey,
    );
    expect(res.errors).toBeUndefined();
    const [rule] = res.data!.rules.edges.map((e) => e.node);
    expect(rule).toMatchObject({ trigger: 'order.paid', conditions: [{ code: 'contains_digital' }] });
    expect(rule!.actions.map((x) => x.code)).toEqual(['grant_downloads', 'send_notification']);
    const [template] = res.data!.templates.edges.map((e) => e.node);
    expect(template!.variants.map((v) => v.language).sort()).toEqual(['cs', 'de', 'en', 'zh-CN']);
  });

  it('refuses an unknown placeholder, an unknown filter, a syntax error and | raw, naming them', async () => {
    const unknown = await createTemplate('<p>{{ buyer.nmae }}</p>');
    expect(unknown.data!.createTemplate.template).toBeNull();
    expect(unknown.data!.createTemplate.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(unknown.data!.createTemplate.userErrors[0]!.message).toContain('buyer.nmae');
    const root = await createTemplate('<p>{{ secret }}</p>');
    expect(root.data!.createTemplate.userErrors[0]!.message).toContain('"secret"');
    const filter = await createTemplate('<p>{{ buyer.name | shout }}</p>');
    expect(filter.data!.createTemplate.userErrors[0]!.message).toContain('shout');
    const syntax = await createTemplate('<p>{{ buyer.name </p>');
    expect(syntax.data!.createTemplate.userErrors[0]!.code).toBe('BAD_USER_INPUT');
    const raw = await createTemplate('<p>{{ buyer.name | raw }}</p>');
    expect(raw.data!.createTemplate.userErrors[0]!.message).toContain('raw');
    const include = await createTemplate('{% include "x" %}');
    expect(include.data!.createTemplate.userErrors[0]!.message).toContain('include');
    const ok = await createTemplate('{% for i in items %}{{ i.title }} {{ i.price }}{% endfor %} {{ portal.url }}');
    expect(ok.data!.createTemplate.userErrors).toEqual([]);
  });

  it('renderTemplate previews with real data, escaped, without creating a portal code', async () => {
    const t = await createTemplate('<p>{{ buyer.email }} {{ items.size }} {{ portal.url }}</p>');
    const q = 'query($t: ID!, $o: ID!) { renderTemplate(templateId: $t, orderId: $o) { language subject html } }';
    const res = await api.gql<{ renderTemplate: { subject: string; html: string } }>(
      q,
      { t: t.data!.createTemplate.template!.id, o: seeded.orderIds[0] },
      a.apiKey,
    );
    expect(res.data!.renderTemplate.subject).toBe('Order #1000');
    expect(res.data!.renderTemplate.html).toBe('<p>buyer0@example.com 2 http://portal.test/p/PREVIEW</p>');
    const foreign = await api.gql(q, { t: t.data!.createTemplate.template!.id, o: seeded.orderIds[0] }, b.apiKey);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // An order with a portal code previews the stand-in too: the working link is the buyer's key.
    const em = api.orm.em.fork();
    const order = { id: seeded.orderIds[0]!, merchantId: a.merchantId };
    const { code } = await api.services.portalCodes.ensurePortalCode(em, order);
    const again = await api.gql<{ renderTemplate: { html: string } }>(
      q,
      { t: t.data!.createTemplate.template!.id, o: seeded.orderIds[0] },
      a.apiKey,
    );
    expect(again.data!.renderTemplate.html).toBe('<p>buyer0@example.com 2 http://portal.test/p/PREVIEW</p>');
    expect(again.data!.renderTemplate.html).not.toContain(code);
    await em.nativeDelete(PortalCode, { order: seeded.orderIds[0]! });
  });

  it('validates rules against the registry and previews them on an order', async () => {
    const m = `mutation($i: RuleInput!) { createRule(input: $i) { rule { id position conditions { code args } } userErrors { code message field } } }`;
    const bad = await api.gql<{ createRule: { userErrors: Errors } }>(
      m,
      {
        i: {
          name: 'x',
          trigger: 'order.paid',
          conditions: [{ code: 'moon_phase' }],
          actions: [{ code: 'add_tag', args: { tag: 'x' } }],
        },
      },
      a.apiKey,
    );
    expect(bad.data!.createRule.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['conditions', '0', 'code'],
    });
    const badArgs = await api.gql<{ createRule: { userErrors: Errors } }>(
      m,
      { i: { name: 'x', trigger: 'order.paid', actions: [{ code: 'set_status', args: { status: 'done' } }] } },
      a.apiKey,
    );
    expect(badArgs.data!.createRule.userErrors[0]!.field).toEqual(['actions', '0', 'args', 'status']);
    const created = await api.gql<{
      createRule: { rule: { id: string; position: number; conditions: { args: unknown }[] } };
    }>(
      m,
      {
        i: {
          name: 'Tag big orders',
          trigger: 'order.paid',
          match: 'any',
          conditions: [{ code: 'total_between', args: { min: 1000 } }],
          actions: [
            { code: 'add_tag', args: { tag: 'big' } },
            { code: 'set_status', args: { status: 'completed', onlyIfAllDigital: true } },
          ],
        },
      },
      a.apiKey,
    );
    expect(created.data!.createRule.rule.position).toBe(2);
    expect(created.data!.createRule.rule.conditions[0]!.args).toEqual({ min: 1000, max: null, currency: null });

    const preview = await api.gql<{
      previewRules: {
        rule: { name: string };
        matched: boolean;
        alreadyRan: boolean;
        actions: { code: string; summary: string }[];
      }[];
    }>(
      'query($o: ID!) { previewRules(orderId: $o) { rule { name } trigger matched alreadyRan conditions { code matched } actions { code summary } } }',
      { o: seeded.orderIds[0] },
      a.apiKey,
    );
    expect(preview.errors).toBeUndefined();
    const byName = new Map(preview.data!.previewRules.map((p) => [p.rule.name, p]));
    expect(byName.get('Send downloads when paid')!.matched).toBe(true);
    expect(byName.get('Send downloads when paid')!.actions[1]!.summary).toContain('would email');
    expect(byName.get('Tag big orders')!.actions[0]!.summary).toBe('would add the tag "big"');
    // Another merchant cannot preview this order: it does not exist for them.
    const foreignPreview = await api.gql(
      'query($o: ID!) { previewRules(orderId: $o) { matched } }',
      { o: seeded.orderIds[0] },
      b.apiKey,
    );
    expect(foreignPreview.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // A dry run writes nothing.
    const em = api.orm.em.fork();
    const count = await em
      .getConnection()
      .execute(
        'select (select count(*) from notification) + (select count(*) from rule_execution) + (select count(*) from portal_code) as n',
      );
    expect(Number(count[0]!.n)).toBe(0);

    const reorder = await api.gql<{ reorderRules: { rules: { name: string; position: number }[] } }>(
      'mutation($ids: [ID!]!) { reorderRules(ids: $ids) { rules { name position } userErrors { code } } }',
      { ids: [created.data!.createRule.rule.id] },
      a.apiKey,
    );
    expect(reorder.data!.reorderRules.rules.map((r) => r.name)).toEqual(['Tag big orders', 'Send downloads when paid']);
    const foreign = await api.gql<{ reorderRules: { userErrors: Errors } }>(
      'mutation($ids: [ID!]!) { reorderRules(ids: $ids) { userErrors { code } } }',
      { ids: [created.data!.createRule.rule.id] },
      b.apiKey,
    );
    expect(foreign.data!.reorderRules.userErrors[0]!.code).toBe('NOT_FOUND');
  });

  it('portalLink creates the code once; rotatePortalCode kills the old link at once', async () => {
    const m = (name: string) =>
      `mutation($o: ID!) { ${name}(orderId: $o) { portalLink { url rotations } userErrors { code } } }`;
    type R = { portalLink: { portalLink: { url: string; rotations: number } } };
    const first = await api.gql<R>(m('portalLink'), { o: seeded.orderIds[1] }, a.apiKey);
    const again = await api.gql<R>(m('portalLink'), { o: seeded.orderIds[1] }, a.apiKey);
    const url = first.data!.portalLink.portalLink.url;
    expect(url).toMatch(/^http:\/\/portal\.test\/p\/[A-Za-z0-9_-]{32}$/);
    expect(again.data!.portalLink.portalLink.url).toBe(url);
    const code = url.split('/p/')[1]!;
    expect((await api.services.portalCodes.findOrderByPortalCode(api.orm.em.fork(), code))?.id).toBe(
      seeded.orderIds[1],
    );

    const rotated = await api.gql<{ rotatePortalCode: { portalLink: { url: string; rotations: number } } }>(
      m('rotatePortalCode'),
      { o: seeded.orderIds[1] },
      a.apiKey,
    );
    const next = rotated.data!.rotatePortalCode.portalLink;
    expect(next.rotations).toBe(1);
    expect(next.url).not.toBe(url);
    expect(await api.services.portalCodes.findOrderByPortalCode(api.orm.em.fork(), code)).toBeNull();
    const nextCode = next.url.split('/p/')[1]!;
    expect((await api.services.portalCodes.findOrderByPortalCode(api.orm.em.fork(), nextCode))?.id).toBe(
      seeded.orderIds[1],
    );
    expect(await api.services.portalCodes.findOrderByPortalCode(api.orm.em.fork(), 'x'.repeat(31))).toBeNull();

    const foreign = await api.gql<{ portalLink: { portalLink: null; userErrors: Errors } }>(
      m('portalLink'),
      { o: seeded.orderIds[1] },
      b.apiKey,
    );
    expect(foreign.data!.portalLink.userErrors[0]!.code).toBe('NOT_FOUND');
  });

  it('SMTP settings are stored sealed and the password is never returned', async () => {
    const res = await api.gql<{ setMailSettings: { mailSettings: Record<string, unknown> } }>(
      `mutation($i: MailSettingsInput!) { setMailSettings(input: $i) { mailSettings { host port user hasPassword fromAddress } userErrors { code message } } }`,
      {
        i: {
          host: 'smtp.shop.test',
          port: 587,
          user: 'mailer',
          password: 'hunter2-secret',
          fromAddress: 'shop@shop.test',
          fromName: 'Shop',
        },
      },
      a.apiKey,
    );
    expect(res.data!.setMailSettings.mailSettings).toEqual({
      host: 'smtp.shop.test',
      port: 587,
      user: 'mailer',
      hasPassword: true,
      fromAddress: 'shop@shop.test',
    });
    const rows = await api.orm.em.fork().getConnection().execute('select * from mail_settings');
    expect(JSON.stringify(rows)).not.toContain('hunter2');
    expect(JSON.stringify(rows)).not.toContain('smtp.shop.test');
    const other = await api.gql<{ mailSettings: unknown }>('{ mailSettings { host } }', {}, b.apiKey);
    expect(other.data!.mailSettings).toBeNull();
  });
});
