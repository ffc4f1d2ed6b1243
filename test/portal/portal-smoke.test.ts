import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, saveScreenshot } from '../support/browser.js';
import { ensurePortalBuilt, startBuiltPortal, type RunningPortal } from './built-portal.js';

// Shaped like a real portal code (URL-safe base64, 22 characters); no order behind it yet.
const CODE = 'Qm9vay1vZi1zZWNyZXRz_x7';
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

let portal: RunningPortal;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await ensurePortalBuilt();
  portal = await startBuiltPortal();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await portal?.stop();
});

async function open(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', viewport: VIEWPORTS[0], ...options });
  contexts.push(context);
  return context.newPage();
}

/** Console errors and CSP violations the page reports while the test runs. */
function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

async function visit(page: Page, path: string): Promise<Response> {
  const response = await page.goto(`${portal.url}${path}`);
  expect(response, path).not.toBeNull();
  return response!;
}

const heading = (page: Page) => page.locator('h1').innerText();
const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');
/** Non-empty only when app.css was allowed by the CSP and applied. */
const accent = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());

describe('portal (built, in headless Chromium)', () => {
  it('answers /healthz', async () => {
    const response = await fetch(`${portal.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('renders the landing page', async () => {
    const page = await open();
    const problems = problemsOf(page);
    const response = await visit(page, '/');
    expect(response.status()).toBe(200);
    expect(await heading(page)).toBe('Your downloads are at the link in your email');
    expect(await page.title()).toBe('Handoff — your downloads are at the link in your email');
    expect(await htmlLang(page)).toBe('en');
    expect(await accent(page)).not.toBe('');
    expect(response.headers()['referrer-policy']).toBe('no-referrer');
    expect(problems).toEqual([]);
  });

  it('shows "Your order" for a well-formed code, with the security headers and no CSP violations', async () => {
    const page = await open();
    const problems = problemsOf(page);
    const response = await visit(page, `/p/${CODE}`);
    expect(response.status()).toBe(200);
    expect(await heading(page)).toBe('Your order');
    await expect(page.getByRole('heading', { name: 'Your order is being prepared' }).isVisible()).resolves.toBe(true);

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

    // Kit adds its live-region announcer once the client has hydrated: the nonce'd scripts ran.
    await page.locator('#svelte-announcer').waitFor({ state: 'attached', timeout: 10_000 });
    expect(await accent(page)).not.toBe('');
    expect(problems).toEqual([]);
  });

  it('shows the generic invalid-link page with 404 for malformed codes', async () => {
    const page = await open();
    for (const path of [
      '/p/bad!code',
      `/p/${'a'.repeat(19)}`,
      `/p/${'a'.repeat(65)}`,
      `/p/${CODE}=`,
      `/p/${CODE}/extra`,
    ]) {
      const response = await visit(page, path);
      expect(response.status(), path).toBe(404);
      expect(await heading(page), path).toBe('This link is not valid');
      expect(response.headers()['cache-control'], path).toBe('private, no-store');
      expect(response.headers()['referrer-policy'], path).toBe('no-referrer');
    }
  });

  it('works with JavaScript disabled', async () => {
    const page = await open({ javaScriptEnabled: false });
    expect((await visit(page, '/')).status()).toBe(200);
    expect(await heading(page)).toBe('Your downloads are at the link in your email');

    expect((await visit(page, `/p/${CODE}`)).status()).toBe(200);
    expect(await heading(page)).toBe('Your order');
    expect(await page.getByText('Your order is being prepared').isVisible()).toBe(true);
    expect(await page.locator('#svelte-announcer').count()).toBe(0);

    expect((await visit(page, '/p/bad!code')).status()).toBe(404);
    expect(await heading(page)).toBe('This link is not valid');
  });

  it('speaks German to a German browser', async () => {
    const page = await open({ locale: 'de-DE', extraHTTPHeaders: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } });
    const response = await visit(page, `/p/${CODE}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['vary']).toMatch(/accept-language/i);
    expect(await heading(page)).toBe('Ihre Bestellung');
    expect(await page.getByText('Ihre Bestellung wird vorbereitet').isVisible()).toBe(true);
    expect(await htmlLang(page)).toBe('de');

    await visit(page, '/p/bad!code');
    expect(await heading(page)).toBe('Dieser Link ist ungültig');
  });

  it('fits every viewport without horizontal scrolling and saves screenshots', async () => {
    const pages = [
      { name: 'landing', path: '/', lang: 'en' },
      { name: 'order', path: `/p/${CODE}`, lang: 'en' },
      { name: 'invalid', path: '/p/bad!code', lang: 'en' },
      { name: 'order-de', path: `/p/${CODE}`, lang: 'de' },
    ];
    for (const viewport of VIEWPORTS) {
      for (const { name, path, lang } of pages) {
        const page = await open({ viewport, locale: lang, extraHTTPHeaders: { 'accept-language': lang } });
        await visit(page, path);
        expect(await htmlLang(page), name).toBe(lang);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} at ${viewport.width}px`).toBeLessThanOrEqual(0);
        const file = await saveScreenshot(page, `portal-${name}-${viewport.width}x${viewport.height}`);
        expect(file).toMatch(/test\/artifacts\/portal-.*\.png$/);
        await page.close();
      }
    }
  });

  it('never writes a portal code to its log', async () => {
    const code = 'TG9nLW1lLW5vdC10aGlzLWNvZGU';
    for (const path of [`/p/${code}`, `/p/${code}/__data.json`, `/p/${code}/nope`, `/p/${code}!`]) {
      await fetch(`${portal.url}${path}`, { headers: { 'accept-language': 'cs' } });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(portal.output()).toContain('Listening on');
    expect(portal.output()).not.toContain(code);
    expect(portal.output()).not.toContain(CODE);
  });
});
