import { describe, expect, it } from 'vitest';
import { fill, formatBytes, formatDate, formatDateTime, formatMoney } from './format.js';

// Intl output contains narrow no-break spaces in some locales; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatBytes', () => {
  it('uses decimal units with at most one decimal', () => {
    expect(formatBytes(0, 'en')).toBe('0 bytes');
    expect(formatBytes(999, 'en')).toBe('999 bytes');
    expect(formatBytes(1536, 'en')).toBe('1.5 kB');
    expect(formatBytes(2_450_000, 'en')).toBe('2.5 MB');
    expect(formatBytes(310_000_000, 'en')).toBe('310 MB');
    expect(formatBytes(1_073_741_824, 'en')).toBe('1.1 GB');
  });

  it('follows the language', () => {
    expect(plain(formatBytes(2_450_000, 'de'))).toBe('2,5 MB');
    expect(plain(formatBytes(2_450_000, 'cs'))).toBe('2,5 MB');
  });
});

describe('formatMoney', () => {
  it('turns minor units into the currency’s amount', () => {
    expect(formatMoney(1990, 'EUR', 'en')).toBe('€19.90');
    expect(plain(formatMoney(1990, 'EUR', 'de'))).toBe('19,90 €');
    expect(plain(formatMoney(123456, 'CZK', 'cs'))).toBe('1 234,56 Kč');
    expect(formatMoney(1990, 'CNY', 'zh-CN')).toBe('¥19.90');
  });

  it('knows currencies without a minor unit', () => {
    expect(formatMoney(1990, 'JPY', 'en')).toBe('¥1,990');
  });

  it('survives an unknown currency code', () => {
    expect(formatMoney(1990, 'XX', 'en')).toBe('19.90 XX');
  });
});

describe('dates', () => {
  const iso = '2026-03-12T23:30:00.000Z';
  it('formats the calendar date in UTC', () => {
    expect(formatDate(iso, 'en')).toBe('March 12, 2026');
    expect(formatDate(iso, 'de')).toBe('12. März 2026');
    expect(formatDate(iso, 'cs')).toBe('12. března 2026');
    expect(formatDate(iso, 'zh-CN')).toBe('2026年3月12日');
  });

  it('includes the time with the zone', () => {
    expect(plain(formatDateTime(iso, 'en'))).toBe('March 12, 2026 at 11:30 PM UTC');
    expect(plain(formatDateTime(iso, 'de'))).toBe('12. März 2026 um 23:30 UTC');
    expect(formatDateTime(iso, 'zh-CN')).toContain('UTC');
  });

  it('formats in the buyer’s zone when the browser names one, and falls back to UTC for an unknown zone', () => {
    expect(plain(formatDateTime(iso, 'de', 'Europe/Berlin'))).toBe('13. März 2026 um 00:30 MEZ');
    expect(formatDate(iso, 'en', 'Europe/Berlin')).toBe('March 13, 2026');
    expect(plain(formatDateTime(iso, 'en', 'Mars/Olympus_Mons'))).toBe('March 12, 2026 at 11:30 PM UTC');
  });
});

describe('fill', () => {
  it('replaces known placeholders and leaves others', () => {
    expect(fill('Order {number} of {shop}', { number: '1001' })).toBe('Order 1001 of {shop}');
    expect(fill('{n}/{n}', { n: 2 })).toBe('2/2');
  });
});
