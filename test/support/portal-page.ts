import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import { expect } from 'vitest';

export const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;

/** Browser contexts opened by a test file, closed together at the end. */
export function contextPool(browser: () => Browser) {
  const contexts: BrowserContext[] = [];
  return {
    async open(options: BrowserContextOptions = {}): Promise<Page> {
      const context = await browser().newContext({ locale: 'en-US', viewport: VIEWPORTS[0], ...options });
      contexts.push(context);
      return context.newPage();
    },
    closeAll: () => Promise.all(contexts.splice(0).map((c) => c.close())),
  };
}

/** Console errors and CSP violations the page reports while the test runs. */
export function problemsOf(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

export async function visit(page: Page, url: string): Promise<Response> {
  const response = await page.goto(url);
  expect(response, url).not.toBeNull();
  return response!;
}

export const heading = (page: Page) => page.locator('h1').innerText();
export const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');
export const accentOf = (page: Page) =>
  page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim());
/** Pixels the page is wider than the viewport (0 when nothing scrolls sideways). */
export const horizontalOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
