import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  sampleView,
  startFakePortalApi,
  type FakePortalApi,
} from '../../packages/portal/src/lib/server/testing/fake-portal-api.js';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import {
  accentOf,
  contextPool,
  heading,
  horizontalOverflow,
  htmlLang,
  problemsOf,
  visit,
  VIEWPORTS,
} from '../support/portal-page.js';
import { ensurePortalBuilt, startBuiltPortal, type RunningPortal } from './built-portal.js';

// Shaped like real portal codes (URL-safe base64, 32 characters).
const CODE = 'Qm9vay1vZi1zZWNyZXRzX3g3eHh4eHh4';
const UNKNOWN = 'VW5rbm93bi1jb2RlLW5vLW9yZGVyLWhl';
const TOKEN = 'portal-smoke-token-0123456789abcdefghij';

let api: FakePortalApi;
let portal: RunningPortal;
let browser: Browser;
const pool = contextPool(() => browser);
const url = (path: string) => `${portal.url}${path}`;
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

beforeAll(async () => {
  await ensurePortalBuilt();
  api = await startFakePortalApi({ token: TOKEN });
  portal = await startBuiltPortal({ HANDOFF_API_URL: api.url, HANDOFF_PORTAL_TOKEN: TOKEN });
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await pool.closeAll();
  await browser?.close();
  await portal?.stop();
  await api?.close();
});

beforeEach(() => {
  api.views.clear();
  api.views.set(CODE, sampleView());
});

describe('portal (built, in headless Chromium, against a fake API)', () => {
  it('confirms a storage connection where OAuth returns the merchant', async () => {
    const ok = await fetch(url('/merchant?storage=0b9f6a52-3c1e-4a8e-9d1f-2b7c8e4d5a61'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('0b9f6a52-3c1e-4a8e-9d1f-2b7c8e4d5a61');
    const junk = await fetch(url('/merchant?storage=%3Cscript%3E'));
    expect(await junk.text()).not.toContain('<script>alert');
    expect(await (await fetch(url('/merchant?storage=%3Cscript%3E'))).text()).toContain('not here yet');
  });

  it('answers /healthz', async () => {
    const response = await fetch(url('/healthz'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('renders the landing page with a way to ask for a new link', async () => {
    const page = await pool.open();
    const problems = problemsOf(page);
    const response = await visit(page, url('/'));
    expect(response.status()).toBe(200);
    expect(await heading(page)).toBe('Your downloads are at the link in your email');
    expect(await page.title()).toBe('Handoff — your downloads are at the link in your email');
    expect(await htmlLang(page)).toBe('en');
    expect(await accentOf(page)).toBe('#3346c2');
    expect(await page.getByRole('link', { name: 'Send me a new link' }).getAttribute('href')).toBe('/p');
    expect(response.headers()['referrer-policy']).toBe('no-referrer');
    expect(problems).toEqual([]);
  });

  it('shows the order with the security headers, the merchant’s accent and no CSP violations', async () => {
    const page = await pool.open();
    const problems = problemsOf(page);
    const response = await visit(page, url(`/p/${CODE}`));
    expect(response.status()).toBe(200);
    expect(await heading(page)).toBe('Order 1001');
    expect(await page.locator('.site-header').innerText()).toContain('Käse & Bits');
    expect(await page.getByRole('heading', { name: 'the-big-book.pdf' }).isVisible()).toBe(true);

    const headers = response.headers();
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cache-control']).toBe('private, no-store');
    const csp = headers['content-security-policy'] ?? '';
    for (const directive of [
      "default-src 'self'",
      "img-src 'self' https: data:",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "base-uri 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.locator('[style]:not(#svelte-announcer)').count()).toBe(0);

    // The accent comes from the /theme stylesheet, not an inline style.
    expect(await accentOf(page)).toBe('#0f7b6c');
    // Kit adds its live-region announcer once the client has hydrated: the nonce'd scripts ran.
    await page.locator('#svelte-announcer').waitFor({ state: 'attached', timeout: 10_000 });
    expect(problems).toEqual([]);

    // The portal called the API with its token and the buyer's user agent.
    const request = api.requests.findLast((r) => r.operation === 'Portal');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['x-handoff-client-ip']).toBe('127.0.0.1');
    expect(request?.headers['x-handoff-client-ua']).toContain('Chrome');
  });

  it('serves the accent stylesheet for a colour only', async () => {
    const css = await fetch(url('/theme/0f7b6c.css'));
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('--accent:#0f7b6c');
    expect((await fetch(url('/theme/0F7B6C.css'))).status).toBe(404);
    expect((await fetch(url('/theme/red.css'))).status).toBe(404);
  });

  it('shows the generic invalid-link page with 404 for malformed and unknown codes', async () => {
    const page = await pool.open();
    for (const path of [
      '/p/bad!code',
      `/p/${'a'.repeat(19)}`,
      `/p/${'a'.repeat(65)}`,
      `/p/${CODE}=`,
      `/p/${CODE}/extra`,
      `/p/${UNKNOWN}`,
    ]) {
      const response = await visit(page, url(path));
      expect(response.status(), path).toBe(404);
      expect(await heading(page), path).toBe('This link is not valid');
      expect(response.headers()['cache-control'], path).toBe('private, no-store');
      expect(response.headers()['referrer-policy'], path).toBe('no-referrer');
    }
    expect(await page.getByRole('link', { name: 'Send me a new link' }).isVisible()).toBe(true);
  });

  it('shows the suspended page with the localized end of the suspension', async () => {
    api.answer('Portal', () => ({
      portal: {
        view: null,
        error: { code: 'SUSPENDED', message: 'suspended', suspendedUntil: '2030-01-02T03:04:00.000Z' },
      },
    }));
    try {
      const page = await pool.open({ locale: 'de-DE', extraHTTPHeaders: { 'accept-language': 'de' } });
      const response = await visit(page, url(`/p/${UNKNOWN}`));
      expect(response.status()).toBe(429);
      expect(Number(response.headers()['retry-after'])).toBeGreaterThan(0);
      expect(await heading(page)).toBe('Der Zugang ist vorübergehend gesperrt');
      expect(plain(await page.locator('main').innerText())).toContain('2. Januar 2030 um 03:04 UTC');
      await saveScreenshot(page, 'portal-fake-suspended-de');
    } finally {
      api.answer('Portal', (v) => ({
        portal: api.views.has(String(v.code))
          ? { view: api.views.get(String(v.code)), error: null }
          : { view: null, error: { code: 'INVALID_CODE', message: 'invalid', suspendedUntil: null } },
      }));
    }
  });

  it('works with JavaScript disabled: the download link answers 303 to a fresh token', async () => {
    const page = await pool.open({ javaScriptEnabled: false });
    expect((await visit(page, url(`/p/${CODE}`))).status()).toBe(200);
    expect(await heading(page)).toBe('Order 1001');
    expect(await page.locator('#svelte-announcer').count()).toBe(0);
    const href = await page.getByRole('link', { name: 'Download the-big-book.pdf' }).getAttribute('href');
    expect(href).toBe(`/p/${CODE}/download/g-1`);

    const before = api.requests.filter((r) => r.operation === 'PortalDownloadLink').length;
    const first = await fetch(url(href!), { redirect: 'manual' });
    const second = await fetch(url(href!), { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('http://127.0.0.1:9/d/token-for-g-1');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');
    expect(second.status).toBe(303);
    expect(api.requests.filter((r) => r.operation === 'PortalDownloadLink').length - before).toBe(2);

    // The expired file says so instead of offering a link.
    expect(await page.getByText('This download has expired.').isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Download audio-edition.zip' }).count()).toBe(0);
    const refused = await fetch(url(`/p/${CODE}/download/g-2`), { redirect: 'manual' });
    expect(refused.headers.get('location')).toBe(`/p/${CODE}?notice=unavailable#files`);
    await visit(page, url(refused.headers.get('location')!));
    expect(await page.getByRole('heading', { name: 'This download is not available' }).isVisible()).toBe(true);
  });

  /** Opens `path` with the client scripts held back, fills `fields` (label → text), then lets the scripts run. */
  async function typeBeforeHydration(path: string, fields: Record<string, string>) {
    const page = await pool.open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_app/immutable/**', async (route) => {
      await held;
      await route.continue();
    });
    // (Module scripts hold DOMContentLoaded back: wait for the form itself.)
    await page.goto(url(path), { waitUntil: 'commit' });
    for (const [label, text] of Object.entries(fields)) await page.getByLabel(label).fill(text);
    release();
    await page.locator('#svelte-announcer').waitFor({ state: 'attached', timeout: 15_000 });
    return page;
  }

  it('keeps what a buyer typed before the page hydrated (a slow phone) in the new-link form', async () => {
    const page = await typeBeforeHydration('/p', { 'Email address': 'ada@buyer.test' });
    expect(await page.getByLabel('Email address').inputValue()).toBe('ada@buyer.test');
    await page.getByRole('button', { name: 'Send me the link' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
  });

  it('keeps what a buyer typed before the page hydrated in the contact form', async () => {
    const page = await typeBeforeHydration(`/p/${CODE}`, {
      'Your message': 'Where is the invoice?',
      'Your email address': 'ada@buyer.test',
    });
    expect(await page.getByLabel('Your message').inputValue()).toBe('Where is the invoice?');
    expect(await page.getByLabel('Your email address').inputValue()).toBe('ada@buyer.test');
  });

  it('speaks German to a German browser, the order’s language before that, and the switcher above all', async () => {
    const page = await pool.open({ locale: 'de-DE', extraHTTPHeaders: { 'accept-language': 'de-DE,de;q=0.9' } });
    const response = await visit(page, url(`/p/${CODE}`));
    expect(response.headers()['vary']).toMatch(/accept-language/i);
    expect(await heading(page)).toBe('Bestellung 1001');
    expect(await page.getByText('Dieser Download ist abgelaufen.').isVisible()).toBe(true);
    expect(plain(await page.locator('main').innerText())).toContain('Gesamt\t39,80 €');
    expect(await htmlLang(page)).toBe('de');

    api.views.set(CODE, sampleView({ language: 'zh-CN' }));
    await visit(page, url(`/p/${CODE}`));
    expect(await heading(page)).toBe('订单 1001');
    expect(await htmlLang(page)).toBe('zh-CN');

    await page.getByRole('link', { name: 'Čeština' }).click();
    await page.waitForURL(/lang=cs/);
    expect(await heading(page)).toBe('Objednávka 1001');
    await visit(page, url(`/p/${CODE}`));
    expect(await heading(page)).toBe('Objednávka 1001');
    expect(await htmlLang(page)).toBe('cs');
    expect(await page.getByRole('link', { name: 'Čeština' }).getAttribute('aria-current')).toBe('true');
  });

  it('offers license keys as selectable text, with a copy button once JavaScript runs', async () => {
    const key = 'HNDF-7Q2M-K9XP-4TZA';
    api.views.set(
      CODE,
      sampleView({
        licenseKeys: [{ product: 'The Big Book', key }],
        invoiceUrl: 'https://invoices.example.test/1001.pdf',
      }),
    );
    const still = await pool.open({ javaScriptEnabled: false });
    await visit(still, url(`/p/${CODE}`));
    expect(await still.locator('#license-0').innerText()).toBe(key);
    expect(await still.getByRole('button', { name: 'Copy' }).count()).toBe(0);
    expect(await still.getByRole('link', { name: 'Download the invoice' }).getAttribute('href')).toBe(
      'https://invoices.example.test/1001.pdf',
    );

    const page = await pool.open({ permissions: ['clipboard-read', 'clipboard-write'] });
    const problems = problemsOf(page);
    await visit(page, url(`/p/${CODE}`));
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied to the clipboard' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    expect(await page.locator('[aria-live=polite]', { hasText: 'Copied' }).count()).toBe(1);
    await saveScreenshot(page, 'portal-fake-license-keys-1280x800');
    expect(problems).toEqual([]);
  });

  it(
    'runs the forms without JavaScript: field errors, then success, in the buyer’s language',
    { timeout: 15_000 },
    async () => {
      api.views.set(CODE, sampleView({ waiverRequired: true }));
      const page = await pool.open({
        javaScriptEnabled: false,
        locale: 'cs-CZ',
        extraHTTPHeaders: { 'accept-language': 'cs' },
      });
      await visit(page, url(`/p/${CODE}`));
      expect(await page.locator('#files a.button').count()).toBe(0);
      await page.getByRole('button', { name: 'Potvrdit a odemknout stahování' }).click();
      await page.getByText('Potvrďte to prosím zaškrtnutím políčka.').waitFor();
      await page.getByLabel(/Souhlasím se zahájením dodání/).check();
      await page.getByRole('button', { name: 'Potvrdit a odemknout stahování' }).click();
      await page.locator('#files a.button').first().waitFor();
      expect(api.requests.filter((r) => r.operation === 'PortalAcceptWaiver')).toHaveLength(1);

      await page.getByLabel('Váš e-mail').fill('not an address');
      await page.getByRole('button', { name: 'Odeslat zprávu' }).click();
      await page.getByText('Napište prosím zprávu.').waitFor();
      expect(await page.getByText('Zadejte prosím platnou e-mailovou adresu').isVisible()).toBe(true);
      expect(await page.getByLabel('Váš e-mail').inputValue()).toBe('not an address');
      await page.getByLabel('Vaše zpráva').fill('Dobrý den, kde najdu fakturu?');
      const answered = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Odeslat zprávu' }).click();
      await answered;
      await page.waitForLoadState();
      await page.getByText('Zadejte prosím platnou e-mailovou adresu').waitFor();
      // The server's answer keeps what the buyer wrote.
      expect(await page.getByLabel('Vaše zpráva').inputValue()).toBe('Dobrý den, kde najdu fakturu?');
      await page.getByLabel('Váš e-mail').fill('');
      await page.getByRole('button', { name: 'Odeslat zprávu' }).click();
      await page.getByText('Vaše zpráva byla odeslána.').waitFor();
      expect(api.requests.findLast((r) => r.operation === 'PortalContactSeller')?.variables).toEqual({
        code: CODE,
        message: 'Dobrý den, kde najdu fakturu?',
        replyTo: null,
      });

      await visit(page, url('/p'));
      await page.getByLabel('E-mailová adresa').fill('kupujici@example.test');
      await page.getByRole('button', { name: 'Poslat odkaz' }).click();
      await page.getByRole('heading', { name: 'Podívejte se do schránky' }).waitFor();
    },
  );

  it('refuses form posts from other sites, including opaque Origin: null ones', async () => {
    const postFrom = (headers: Record<string, string>) =>
      fetch(url('/p'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
        body: 'email=someone%40example.test',
      });
    const before = api.requests.length;
    expect((await postFrom({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await postFrom({ origin: 'null', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await postFrom({ origin: 'null' })).status).toBe(403);
    expect(api.requests.length).toBe(before);
    expect((await postFrom({ origin: portal.url })).status).toBe(200);
    expect((await postFrom({ origin: 'null', 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('never writes a portal code to its log', async () => {
    const code = 'TG9nLW1lLW5vdC10aGlzLWNvZGUxMjM0';
    for (const path of [
      `/p/${code}`,
      `/p/${code}/__data.json`,
      `/p/${code}/nope`,
      `/p/${code}!`,
      `/p/${code}/download/g-1`,
    ]) {
      await fetch(url(path), { headers: { 'accept-language': 'cs' }, redirect: 'manual' });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(portal.output()).toContain('Listening on');
    expect(portal.output()).not.toContain(code);
    expect(portal.output()).not.toContain(CODE);
  });

  it('shows times in UTC with the zone named, then in the buyer’s own zone once the page hydrates', async () => {
    const expiry = (page: Page) => page.locator('time[datetime="2026-04-11T09:30:00.000Z"]');
    const noScript = await pool.open({ javaScriptEnabled: false, timezoneId: 'America/New_York' });
    await visit(noScript, url(`/p/${CODE}`));
    expect(plain(await expiry(noScript).innerText())).toBe('April 11, 2026 at 9:30 AM UTC');

    const page = await pool.open({ timezoneId: 'America/New_York' });
    const problems = problemsOf(page);
    await visit(page, url(`/p/${CODE}`));
    await expect.poll(async () => plain(await expiry(page).innerText())).toBe('April 11, 2026 at 5:30 AM EDT');
    expect(await expiry(page).getAttribute('data-zone')).toBe('America/New_York');

    const german = await pool.open({
      timezoneId: 'Europe/Berlin',
      locale: 'de-DE',
      extraHTTPHeaders: { 'accept-language': 'de' },
    });
    await visit(german, url(`/p/${CODE}`));
    await expect.poll(async () => plain(await expiry(german).innerText())).toBe('11. April 2026 um 11:30 MESZ');
    expect(problems).toEqual([]); // no hydration mismatch or other errors
  }, 120_000);

  it('fills a tall window: the footer sits at the bottom, with no blank band below it', async () => {
    for (const path of ['/', `/p/${CODE}`, '/p']) {
      const page = await pool.open({ viewport: { width: 1280, height: 2000 } });
      await visit(page, url(path));
      const layout = await page.evaluate(() => ({
        footerBottom: document.querySelector('.site-footer')!.getBoundingClientRect().bottom,
        scrollHeight: document.documentElement.scrollHeight,
        bodyBackground: getComputedStyle(document.body).backgroundColor,
        htmlBackground: getComputedStyle(document.documentElement).backgroundColor,
      }));
      expect(Math.round(layout.footerBottom), path).toBe(2000);
      expect(layout.scrollHeight, path).toBe(2000);
      await saveScreenshot(page, `portal-fake-tall${path.replace(/\//g, '-')}-1280x2000`);
      await page.close();
    }
  }, 120_000);

  it('fits every viewport without horizontal scrolling and saves screenshots', async () => {
    const pages = [
      { name: 'landing', path: '/', lang: 'en' },
      { name: 'order', path: `/p/${CODE}`, lang: 'en' },
      { name: 'invalid', path: '/p/bad!code', lang: 'en' },
      { name: 'new-link', path: '/p', lang: 'en' },
      { name: 'order-de', path: `/p/${CODE}`, lang: 'de' },
    ];
    for (const viewport of VIEWPORTS) {
      for (const { name, path, lang } of pages) {
        const page = await pool.open({ viewport, locale: lang, extraHTTPHeaders: { 'accept-language': lang } });
        await visit(page, url(path));
        expect(await htmlLang(page), name).toBe(lang);
        expect(await horizontalOverflow(page), `${name} at ${viewport.width}px`).toBeLessThanOrEqual(0);
        const file = await saveScreenshot(page, `portal-fake-${name}-${viewport.width}x${viewport.height}`);
        expect(file).toMatch(/test\/artifacts\/portal-.*\.png$/);
        await page.close();
      }
    }
  });
});
