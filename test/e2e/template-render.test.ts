import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm, type Orm } from '../../packages/api/src/db/orm.js';
import { Template } from '../../packages/api/src/rules/template.entity.js';
import { nestedLoops, singleNodeSlow } from '../../packages/api/src/rules/templates/testing/slow-templates.js';
import { seedOrders } from '../../packages/api/src/testing/order-factory.js';
import { createTestDatabase, type TestDatabase } from '../../packages/api/src/testing/test-database.js';
import { cleanEnv, freePort, repoRoot, startProcess, type RunningProcess } from '../support/processes.js';

const run = promisify(execFile);
const SECRET = 'template-e2e-secret-0123456789abcdefgh';

type Gql<T> = { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };

/**
 * The built API process (`dist`) renders merchant templates on its render threads: the worker
 * file resolves from `dist`, saving refuses the nested-loop template, and a slow template that
 * slipped in fails its preview after the limit while the process keeps answering.
 */
describe('template rendering in the built API', () => {
  let db: TestDatabase;
  let orm: Orm;
  let api: RunningProcess;
  let url: string;
  let apiKey: string;
  let orderId: string;

  beforeAll(async () => {
    db = await createTestDatabase(inject('database'));
    orm = await openOrm(db.url);
    const env = cleanEnv({ DATABASE_URL: db.url, HANDOFF_SECRET: SECRET, LOG_LEVEL: 'warn' });
    const cli = async <T>(...args: string[]) =>
      JSON.parse(
        (await run(process.execPath, ['packages/api/dist/bin/cli.js', ...args, '--json'], { cwd: repoRoot, env }))
          .stdout,
      ) as T;
    const { merchantId } = await cli<{ merchantId: string }>('create-merchant', '--name', 'Slow Shop');
    ({ apiKey } = await cli<{ apiKey: string }>('create-api-key', '--merchant', merchantId));
    orderId = (await seedOrders(orm.em.fork(), merchantId, 1)).orderIds[0]!;
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = startProcess(process.execPath, ['packages/api/dist/bin/api.js'], {
      ...env,
      PORT: String(port),
      TEMPLATE_RENDER_THREADS: '2',
      TEMPLATE_RENDER_TIMEOUT_MS: '1000',
    });
    while (
      !(await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (api.child.exitCode !== null) throw new Error(`the API exited:\n${api.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => {
    await api?.stop(10_000);
    await orm?.close();
    await db?.drop();
  });

  const gql = async <T>(query: string, variables: Record<string, unknown>): Promise<Gql<T>> =>
    (await (
      await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ query, variables }),
      })
    ).json()) as Gql<T>;
  const create = (html: string) =>
    gql<{ createTemplate: { template: { id: string } | null; userErrors: { code: string; message: string }[] } }>(
      'mutation($i: TemplateInput!) { createTemplate(input: $i) { template { id } userErrors { code message } } }',
      {
        i: {
          name: `T ${Math.random()}`,
          fallbackLanguage: 'en',
          variants: [{ language: 'en', subject: 'Order {{ order.number }}', html, text: 'Hi' }],
        },
      },
    );
  const preview = (templateId: string) =>
    gql<{ renderTemplate: { subject: string; html: string } }>(
      'query($t: ID!, $o: ID!) { renderTemplate(templateId: $t, orderId: $o) { subject html } }',
      { t: templateId, o: orderId },
    );

  it('saves and previews a template, and refuses the nested-loop one', async () => {
    const ok = await create('<p>{{ order.number }}</p>');
    expect(ok.data!.createTemplate.userErrors).toEqual([]);
    const rendered = await preview(ok.data!.createTemplate.template!.id);
    expect(rendered.data!.renderTemplate).toEqual({ subject: 'Order #1000', html: '<p>#1000</p>' });

    const refused = await create(nestedLoops);
    expect(refused.data!.createTemplate.userErrors).toEqual([
      { code: 'BAD_USER_INPUT', message: expect.stringContaining('variants.0: too expensive to render') },
    ]);
  });

  it('a slow template that slipped in fails after the limit; the process answers meanwhile', async () => {
    const created = await create('<p>{{ order.number }}</p>');
    const id = created.data!.createTemplate.template!.id;
    await orm.em
      .fork()
      .nativeUpdate(Template, { id }, { variants: { en: { subject: 'S', html: singleNodeSlow, text: 'T' } } });
    const finished: string[] = [];
    const slow = preview(id).then((res) => (finished.push('slow'), res));
    await new Promise((r) => setTimeout(r, 200));
    const health = await fetch(`${url}/healthz`);
    finished.push('health');
    expect(health.status).toBe(200);
    const failed = await slow;
    expect(finished).toEqual(['health', 'slow']);
    // Which limit it hits first (time or the thread's heap) depends on the machine's speed.
    expect(failed.errors?.[0]).toMatchObject({
      message: expect.stringMatching(
        /^the template \(en\) could not be rendered: rendering (took longer than 1000 ms|needed more memory than allowed)$/,
      ),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(api.output()).not.toMatch(/render-worker|ERR_MODULE_NOT_FOUND/);
  });
});
