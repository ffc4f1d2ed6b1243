import { describe, expect, it } from 'vitest';
import { isForgedFormPost } from './csrf.js';

const post = (headers: Record<string, string>, method = 'POST') =>
  new Request('http://127.0.0.1:3000/p/x?/contact', { method, headers });
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('isForgedFormPost', () => {
  it('lets our own page post with Origin: null (no-referrer) when the browser says same-origin', () => {
    expect(isForgedFormPost(post({ ...FORM, origin: 'null', 'sec-fetch-site': 'same-origin' }))).toBe(false);
  });

  it('refuses Origin: null from anywhere else or without Sec-Fetch-Site', () => {
    expect(isForgedFormPost(post({ ...FORM, origin: 'null', 'sec-fetch-site': 'cross-site' }))).toBe(true);
    expect(isForgedFormPost(post({ ...FORM, origin: 'null', 'sec-fetch-site': 'same-site' }))).toBe(true);
    expect(isForgedFormPost(post({ ...FORM, origin: 'null' }))).toBe(true);
    expect(isForgedFormPost(post({ 'content-type': 'multipart/form-data; boundary=x', origin: 'null' }, 'PUT'))).toBe(
      true,
    );
  });

  it('leaves real origins to Kit’s own check, and non-form or safe requests alone', () => {
    expect(isForgedFormPost(post({ ...FORM, origin: 'http://127.0.0.1:3000' }))).toBe(false);
    expect(isForgedFormPost(post({ 'content-type': 'application/json', origin: 'null' }))).toBe(false);
    expect(isForgedFormPost(new Request('http://127.0.0.1:3000/p', { headers: { origin: 'null' } }))).toBe(false);
  });
});
