import type { Language } from './i18n/languages.js';

/**
 * Formatting for the buyer's language with `Intl`. Times render in UTC with the zone named, since
 * the server does not know the buyer's zone; LocalTime.svelte redraws them in the browser's zone
 * once the page has hydrated.
 */
const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** 1,536 → "1.5 kB" (decimal units, as file managers on phones show them). */
export function formatBytes(bytes: number, lang: Language): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(lang, {
    style: 'unit',
    unit: UNITS[unit],
    unitDisplay: unit === 0 ? 'long' : 'short',
    maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
  }).format(value);
}

/** Minor units (cents) of `currency` as money: 1990 EUR in de → "19,90 €"; JPY has no minor unit. */
export function formatMoney(minor: number, currency: string, lang: Language): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(lang, { style: 'currency', currency });
  } catch {
    // An unknown currency code: the amount with the code beside it rather than a broken page.
    return `${new Intl.NumberFormat(lang, { minimumFractionDigits: 2 }).format(minor / 100)} ${currency}`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

/** A calendar date: "12 March 2026", "12. März 2026", "2026年3月12日". */
export function formatDate(iso: string, lang: Language, timeZone = 'UTC'): string {
  return format(iso, lang, timeZone, { dateStyle: 'long' });
}

/** A moment with the time and its zone: "12 March 2026 at 14:05 UTC", "… at 15:05 CET". */
export function formatDateTime(iso: string, lang: Language, timeZone = 'UTC'): string {
  return format(iso, lang, timeZone, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}

function format(iso: string, lang: Language, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  const date = new Date(iso);
  try {
    return new Intl.DateTimeFormat(lang, { ...options, timeZone }).format(date);
  } catch {
    // A zone this Intl does not know: UTC, named, rather than a broken page.
    return new Intl.DateTimeFormat(lang, { ...options, timeZone: 'UTC' }).format(date);
  }
}

/** Fills `{name}` placeholders of a message; unknown placeholders stay visible. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
