import { describe, expect, it } from 'vitest';
import { isPortalPath, securityHeadersFor, withHeaders } from './headers.js';
import { redactPortalCodes } from './redact.js';

describe('securityHeadersFor', () => {
  it('forbids caching on portal pages only', () => {
    expect(securityHeadersFor('/p/abcdefghijklmnopqrstuv')['cache-control']).toBe('private, no-store');
    expect(securityHeadersFor('/p/abcdefghijklmnopqrstuv/__data.json')['cache-control']).toBe('private, no-store');
    expect(securityHeadersFor('/')['cache-control']).toBeUndefined();
    expect(securityHeadersFor('/pricing')['cache-control']).toBeUndefined();
  });

  it('sends no-referrer and nosniff everywhere', () => {
    for (const path of ['/', '/p/x', '/healthz']) {
      expect(securityHeadersFor(path)).toMatchObject({
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      });
    }
  });

  it('recognises portal paths exactly', () => {
    expect(isPortalPath('/p')).toBe(true);
    expect(isPortalPath('/p/')).toBe(true);
    expect(isPortalPath('/px')).toBe(false);
    expect(isPortalPath('/api/p/x')).toBe(false);
  });
});

describe('withHeaders', () => {
  it('sets headers on an ordinary response', async () => {
    const response = withHeaders(new Response('hi', { status: 201 }), { 'x-a': '1' });
    expect(response.headers.get('x-a')).toBe('1');
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('hi');
  });

  it('copies a response whose headers are immutable', () => {
    const redirect = Response.redirect('http://127.0.0.1/elsewhere', 302);
    const response = withHeaders(redirect, { 'referrer-policy': 'no-referrer' });
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('location')).toBe('http://127.0.0.1/elsewhere');
    expect(response.status).toBe(302);
  });
});

describe('redactPortalCodes', () => {
  it('removes codes from paths, URLs and stack traces', () => {
    const code = 'Zm9vYmFyYmF6cXV4cXV1eA';
    expect(redactPortalCodes(`/p/${code}`)).toBe('/p/[code]');
    expect(redactPortalCodes(`GET /p/${code}/__data.json?x=1`)).toBe('GET /p/[code]/__data.json?x=1');
    expect(redactPortalCodes(`Error: boom at http://127.0.0.1:3000/p/${code}#top\n  at load`)).not.toContain(code);
    expect(redactPortalCodes(`"/p/${code}" and '/p/${code}x'`)).not.toContain(code);
  });

  it('leaves other paths alone', () => {
    expect(redactPortalCodes('/healthz and /products/abc')).toBe('/healthz and /products/abc');
  });
});
