import { createRequire } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSmtpTestServer, type SmtpTestServer } from '@handoff/connectors/notify/smtp/testing/smtp-test-server';
import { decodedBody, decodedSubject } from '../../packages/api/src/rules/testing-mail.js';
import { createTestDatabase, type TestDatabase } from '../../packages/api/src/testing/test-database.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { startHandoffStack, type HandoffStack } from '../support/handoff-stack.js';
import {
  contextPool,
  heading,
  horizontalOverflow,
  htmlLang,
  problemsOf,
  visit,
  VIEWPORTS,
} from '../support/portal-page.js';

const SECRET = 'portal-e2e-secret-0123456789abcdefghijkl';
const PORTAL_TOKEN = 'portal-e2e-service-token-0123456789abcdef';
const SUSPEND_THRESHOLD = 4;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(150);
  }
}

const GRANTS = `query { orders(first: 10) { edges { node { id number downloadGrants { id used limit file { displayName } } } } } }`;
type GrantsData = {
  orders: {
    edges: {
      node: {
        id: string;
        number: string;
        downloadGrants: { id: string; used: number; file: { displayName: string } }[];
      };
    }[];
  };
};

/**
 * The buyer's whole path on the running stack: the worker mails the "Your downloads" message, the
 * buyer opens its link in Chromium, downloads a file (bytes checked), sees the count drop, and meets
 * the expired, invalid, suspended, new-link, contact, waiver and German pages.
 */
/** Where the paid → email pipeline stands, for a failure message. */
async function pipelineState(databaseUrl: string): Promise<string> {
  type Client = { connect(): Promise<void>; query(sql: string): Promise<{ rows: unknown[] }>; end(): Promise<void> };
  const pg = createRequire(new URL('../../packages/api/package.json', import.meta.url))('pg') as {
    Client: new (options: { connectionString: string }) => Client;
  };
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const q = async (sql: string) => JSON.stringify((await client.query(sql)).rows);
    return [
      `triggers=${await q('select kind, dispatched_at is not null as done, count(*) from order_trigger group by 1, 2')}`,
      `executions=${await q('select status, attempts, last_error from rule_execution')}`,
      `notifications=${await q('select status, attempts, last_error from notification')}`,
      `jobs=${await q('select name, state, count(*) from pgboss.job group by 1, 2')}`,
    ].join('\n');
  } finally {
    await client.end();
  }
}

describe('portal end to end (api + worker + built portal, real SMTP, Chromium)', { timeout: 90_000 }, () => {
  let db: TestDatabase;
  let smtp: SmtpTestServer;
  let stack: HandoffStack;
  let browser: Browser;
  let storage: string;
  let apiKey: string;
  const pool = contextPool(() => browser);
  const files = { guide: randomBytes(300_000), bonus: randomBytes(40_000) };
  const links: Record<string, string> = {};
  const gql = <T>(query: string, variables?: Record<string, unknown>) => stack.gql<T>(apiKey, query, variables);
  const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
  const linkIn = (raw: string) =>
    new RegExp(`${stack.portal.url.replace(/[.:/]/g, '\\$&')}/p/([A-Za-z0-9_-]{32})`).exec(decodedBody(raw))?.[0];
  const grantsOf = async (number: string) =>
    (await gql<GrantsData>(GRANTS)).orders.edges.find((e) => e.node.number === number)!.node.downloadGrants;

  beforeAll(async () => {
    storage = await mkdtemp(join(tmpdir(), 'handoff-portal-e2e-'));
    await mkdir(join(storage, 'shop'));
    await writeFile(join(storage, 'shop', 'guide.pdf'), files.guide);
    await writeFile(join(storage, 'shop', 'bonus.zip'), files.bonus);
    smtp = await startSmtpTestServer();
    db = await createTestDatabase(inject('database'));
    stack = await startHandoffStack({
      databaseUrl: db.url,
      secret: SECRET,
      portalToken: PORTAL_TOKEN,
      smtpPort: smtp.port,
      storageRoots: storage,
      env: { DOWNLOAD_SUSPEND_THRESHOLD: String(SUSPEND_THRESHOLD) },
    });
    browser = await launchBrowser();

    // The merchant, set up as an integrator would: CLI for the key, then GraphQL.
    const { merchantId } = await stack.cli<{ merchantId: string }>(
      'create-merchant',
      '--name',
      'Käse & Bits',
      '--email',
      'shop@merchant.test',
    );
    ({ apiKey } = await stack.cli<{ apiKey: string }>('create-api-key', '--merchant', merchantId));
    // The shop's folder sits in the storage root, so the operator assigns it to this merchant.
    await stack.cli('allow-storage-root', '--merchant', merchantId, '--path', join(storage, 'shop'));
    await gql(
      `mutation { updatePortalSettings(input: { accentColor: "#0f7b6c", introText: "Thank you for shopping with us. Your files are below." }) { userErrors { message } } }`,
    );
    const product = await gql<{ createProduct: { product: { id: string } } }>(
      `mutation { createProduct(input: { sku: "BOOK", name: "The Big Book", digital: true }) { product { id } } }`,
    );
    const local = await gql<{ connectLocalStorage: { storageConnection: { id: string } } }>(
      `mutation($root: String!) { connectLocalStorage(name: "Shop files", root: $root) { storageConnection { id } userErrors { message } } }`,
      { root: join(storage, 'shop') },
    );
    const linked = await gql<{ linkProductFiles: { files: { id: string }[]; userErrors: unknown[] } }>(
      `mutation($p: ID!, $s: ID!) { linkProductFiles(productId: $p, storageConnectionId: $s, refs: ["guide.pdf", "bonus.zip"], displayNames: ["The Big Book (PDF)", "Bonus material"]) { files { id } userErrors { message } } }`,
      { p: product.createProduct.product.id, s: local.connectLocalStorage.storageConnection.id },
    );
    expect(linked.linkProductFiles.userErrors).toEqual([]);
    const channel = await gql<{ createChannelConnection: { connection: { id: string } } }>(
      `mutation { createChannelConnection(input: { kind: "generic", name: "Webshop", settings: {} }) { connection { id } } }`,
    );
    const order = (externalId: string, email: string, name: string, language: string) => ({
      externalId,
      number: externalId,
      status: 'PAID',
      currency: 'EUR',
      buyer: { email, name, language, country: 'DE' },
      items: [{ sku: 'BOOK', title: 'The Big Book', quantity: 1, unitPrice: 2490 }],
      createdAt: '2026-03-12T09:30:00Z',
    });
    const imported = await gql<{ importOrders: { created: number; userErrors: unknown[] } }>(
      `mutation($c: ID!, $o: [GenericOrderInput!]!) { importOrders(connectionId: $c, orders: $o) { created userErrors { message } } }`,
      {
        c: channel.createChannelConnection.connection.id,
        o: [
          order('1001', 'ada@buyer.test', 'Ada Lovelace', 'en'),
          order('1002', 'karl@buyer.test', 'Karl Käufer', 'de'),
        ],
      },
    );
    expect(imported.importOrders).toEqual({ created: 2, userErrors: [] });
  }, 300_000);

  afterAll(async () => {
    await pool.closeAll();
    await browser?.close();
    await stack?.stop();
    await smtp?.close();
    await db?.drop();
    if (storage) await rm(storage, { recursive: true, force: true });
  });

  it('the worker mails each buyer a portal link in their language', async () => {
    const ada = await until(() => mailsTo('ada@buyer.test')[0], 'the English email').catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await pipelineState(db.url)}\nWORKER:${stack.worker.output().slice(-4000)}`);
    });
    const karl = await until(() => mailsTo('karl@buyer.test')[0], 'the German email');
    links.ada = linkIn(ada.raw)!;
    links.karl = linkIn(karl.raw)!;
    expect(decodedSubject(ada.raw)).toBe('Your downloads for order 1001');
    expect(decodedSubject(karl.raw)).toBe('Ihre Downloads zur Bestellung 1002');
    expect(links.ada).toMatch(/\/p\/[A-Za-z0-9_-]{32}$/);
    expect(links.karl).not.toBe(links.ada);
  });

  it('opens the link from the email: branding, order and both files, no CSP violations', async () => {
    const page = await pool.open();
    const problems = problemsOf(page);
    const response = await visit(page, links.ada!);
    expect(response.status()).toBe(200);
    expect(response.headers()['referrer-policy']).toBe('no-referrer');
    expect(await heading(page)).toBe('Order 1001');
    expect(await page.locator('.site-header').innerText()).toContain('Käse & Bits');
    expect(await page.getByText('Thank you for shopping with us.').isVisible()).toBe(true);
    const names = await page.locator('#files h3').allInnerTexts();
    expect(names).toEqual(['The Big Book (PDF)', 'Bonus material']);
    expect(await page.locator('#files [data-testid=remaining]').allInnerTexts()).toEqual(['5', '5']);
    expect(await page.locator('main').innerText()).toContain('300 kB');
    expect(await page.locator('main').innerText()).toContain('€24.90');
    await page.locator('#svelte-announcer').waitFor({ state: 'attached', timeout: 10_000 });
    expect(problems).toEqual([]);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await saveScreenshot(page, `portal-order-${viewport.width}x${viewport.height}`);
    }
  });

  it('downloads a file with the bytes of the source, and the count drops on reload', async () => {
    const page = await pool.open({ acceptDownloads: true });
    await visit(page, links.ada!);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download The Big Book (PDF)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/guide\.pdf|The Big Book/);
    const bytes = await readFile((await download.path())!);
    expect(bytes.length).toBe(files.guide.length);
    expect(sha256(bytes)).toBe(sha256(files.guide));

    await page.reload();
    expect(await page.locator('#files [data-testid=remaining]').allInnerTexts()).toEqual(['4', '5']);
    const grants = await grantsOf('1001');
    expect(grants.find((g) => g.file.displayName === 'The Big Book (PDF)')?.used).toBe(1);
  });

  it('shows a file whose grant expired as expired, with no download link', async () => {
    const grant = (await grantsOf('1001')).find((g) => g.file.displayName === 'Bonus material')!;
    await gql(
      `mutation($id: ID!, $at: DateTimeISO!) { updateDownloadGrant(id: $id, input: { expiresAt: $at }) { userErrors { message } } }`,
      {
        id: grant.id,
        at: new Date(Date.now() - 60_000).toISOString(),
      },
    );
    const page = await pool.open({ javaScriptEnabled: false });
    await visit(page, links.ada!);
    const card = page.locator('#files article', { hasText: 'Bonus material' });
    expect(await card.getByText('This download has expired.').isVisible()).toBe(true);
    expect(await card.getByText('Write to Käse & Bits with the form below').isVisible()).toBe(true);
    expect(await card.getByRole('link').count()).toBe(0);
    // The plain link still works without JavaScript for the other file.
    expect(await page.getByRole('link', { name: 'Download The Big Book (PDF)' }).isVisible()).toBe(true);
    // Asking for the expired one anyway lands on the page with a notice.
    await visit(page, `${links.ada}/download/${grant.id}`);
    expect(await page.getByRole('heading', { name: 'This download is not available' }).isVisible()).toBe(true);
  });

  it('sends a message to the seller from the contact form', async () => {
    const page = await pool.open();
    await visit(page, links.ada!);
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Please write a message.').waitFor();
    await page.getByLabel('Your message').fill('The bonus file expired before I could get it. Could you extend it?');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Your message has been sent.').waitFor();
    const mail = await until(() => mailsTo('shop@merchant.test')[0], 'the message to the merchant');
    expect(decodedBody(mail.raw)).toContain('The bonus file expired before I could get it.');
    // The merchant learns whom to answer (the order's address, as the buyer left the field empty).
    expect(decodedBody(mail.raw)).toContain('ada@buyer.test');
    // Replying in the mail program answers the buyer, not the shop itself.
    expect(mail.raw).toMatch(/^Reply-To: ada@buyer\.test\r?$/im);
  });

  it('reads German for the German buyer, and the waiver locks downloads until accepted', async () => {
    await gql(`mutation { updatePortalSettings(input: { requireWithdrawalWaiver: true }) { userErrors { message } } }`);
    const page = await pool.open({ locale: 'en-US' });
    const response = await visit(page, links.karl!);
    expect(response.status()).toBe(200);
    expect(await htmlLang(page)).toBe('de');
    expect(await heading(page)).toBe('Bestellung 1002');
    expect(await page.getByRole('heading', { name: 'Ihre Downloads' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Bevor Sie herunterladen' }).isVisible()).toBe(true);
    expect(await page.locator('#files a.button').count()).toBe(0);
    expect(await page.locator('#files [aria-disabled=true]').count()).toBe(2);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await saveScreenshot(page, `portal-order-de-waiver-${viewport.width}x${viewport.height}`);
    }
    // The download route refuses too, whatever the page shows.
    const [grant] = await grantsOf('1002');
    const refused = await fetch(`${links.karl}/download/${grant!.id}`, { redirect: 'manual' });
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toContain('notice=waiver');

    await page.getByRole('button', { name: 'Bestätigen und Downloads freischalten' }).click();
    await page.getByText('Bitte setzen Sie das Häkchen, um zu bestätigen.').waitFor();
    await page.getByLabel(/Ich stimme zu/).check();
    await page.getByRole('button', { name: 'Bestätigen und Downloads freischalten' }).click();
    await page.locator('#files a.button').first().waitFor();
    expect(await page.locator('#files a.button').count()).toBe(2);
    expect(await page.getByText(/Sie haben den Verzicht am .* bestätigt/).isVisible()).toBe(true);
    await gql(
      `mutation { updatePortalSettings(input: { requireWithdrawalWaiver: false }) { userErrors { message } } }`,
    );
  });

  it('sends a new link only to the address of an order, with the same answer for any address', async () => {
    const before = smtp.received.length;
    const ask = async (email: string) => {
      const page = await pool.open();
      await visit(page, `${stack.portal.url}/p`);
      await page.getByLabel('Email address').fill(email);
      await page.getByRole('button', { name: 'Send me the link' }).click();
      // Generous: under a full parallel test run the API and worker share two cores with everything else.
      await page
        .getByRole('heading', { name: 'Check your inbox' })
        .waitFor({ timeout: 30_000 })
        .catch(async (e: unknown) => {
          const shown = await page
            .locator('body')
            .innerText()
            .catch(() => '(no page)');
          throw new Error(
            `${String(e)}\nurl=${page.url()}\nPAGE:${shown.slice(0, 1500)}\nAPI:${stack.api.output().slice(-3000)}\nPORTAL:${stack.portal.output().slice(-3000)}`,
          );
        });
      return page;
    };
    const stranger = await ask('nobody@buyer.test');
    await saveScreenshot(stranger, 'portal-new-link-sent-390x844');
    await ask('ADA@buyer.test');
    const mail = await until(
      () => smtp.received.slice(before).find((m) => m.to.includes('ada@buyer.test')),
      'the new link for ada',
    );
    expect(linkIn(mail.raw)).toBe(links.ada);
    await pause(2500);
    expect(smtp.received.slice(before).map((m) => m.to)).toEqual([['ada@buyer.test']]);
  }, 90_000);

  it('shows the generic page for a wrong code, counts it, and suspends the address past the threshold', async () => {
    const page = await pool.open();
    const wrong = (i: number) => `${stack.portal.url}/p/${'Wr0ngC0de'.padEnd(31, 'x')}${i}`;
    const first = await visit(page, wrong(0));
    expect(first.status()).toBe(404);
    expect(await heading(page)).toBe('This link is not valid');
    await saveScreenshot(page, 'portal-invalid-1280x800');
    let status = 404;
    for (let i = 1; i <= SUSPEND_THRESHOLD + 1 && status === 404; i++) status = (await visit(page, wrong(i))).status();
    expect(status).toBe(429);
    expect(await heading(page)).toBe('Access is paused for a while');
    expect(await page.locator('main').innerText()).toMatch(/You can try again after .+ UTC\./);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await saveScreenshot(page, `portal-suspended-${viewport.width}x${viewport.height}`);
    }
    // A valid link keeps working from the same address.
    expect((await visit(page, links.ada!)).status()).toBe(200);
    expect(await heading(page)).toBe('Order 1001');
  });

  it('never wrote a portal code to the portal’s log', () => {
    const output = stack.portal.output();
    for (const link of Object.values(links)) expect(output).not.toContain(link.split('/p/')[1]);
  });
});
