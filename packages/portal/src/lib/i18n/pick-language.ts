import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages.js';

/** Accept-Language headers longer than this many entries are cut; nobody prefers 30 languages. */
const MAX_ENTRIES = 30;
const TRADITIONAL_CHINESE_REGIONS = new Set(['tw', 'hk', 'mo']);

/**
 * The language to show a buyer: the order's language when we speak it (the buyer chose it at
 * checkout), otherwise the browser's most preferred language we speak, otherwise English.
 */
export function pickLanguage(orderLanguage: string | null, acceptLanguageHeader: string | null | undefined): Language {
  const fromOrder = orderLanguage ? matchLanguage(orderLanguage) : null;
  if (fromOrder) return fromOrder;
  for (const tag of preferredTags(acceptLanguageHeader ?? '')) {
    const match = matchLanguage(tag);
    if (match) return match;
  }
  return DEFAULT_LANGUAGE;
}

/**
 * Maps a BCP 47 tag (`de-AT`, `cs`, `zh-Hans-CN`, `en_GB`) to a language we have, or null.
 * Chinese in Traditional script (zh-Hant, zh-TW, zh-HK, zh-MO) does not match our Simplified
 * dictionary, so the buyer's next preference gets its chance.
 */
export function matchLanguage(tag: string): Language | null {
  const parts = tag.trim().toLowerCase().split(/[-_]/);
  const primary = parts[0];
  if (!primary) return null;
  if (primary === 'zh') {
    const subtags = parts.slice(1);
    if (subtags.includes('hant')) return null;
    if (!subtags.includes('hans') && subtags.some((s) => TRADITIONAL_CHINESE_REGIONS.has(s))) return null;
    return 'zh-CN';
  }
  return LANGUAGES.find((language) => language === primary) ?? null;
}

/** Language ranges of an Accept-Language header, most preferred first; `q=0` and malformed entries dropped. */
export function preferredTags(header: string): string[] {
  const entries: { tag: string; q: number; index: number }[] = [];
  header
    .split(',')
    .slice(0, MAX_ENTRIES)
    .forEach((entry, index) => {
      const [rawTag, ...params] = entry.split(';');
      const tag = rawTag?.trim() ?? '';
      if (!/^(\*|[a-z]{1,8}(?:[-_][a-z0-9]{1,8})*)$/i.test(tag) || tag === '*') return;
      const q = qualityOf(params);
      if (q === null || q === 0) return;
      entries.push({ tag, q, index });
    });
  return entries.sort((a, b) => b.q - a.q || a.index - b.index).map((e) => e.tag);
}

function qualityOf(params: string[]): number | null {
  for (const param of params) {
    const [name, value] = param.split('=').map((s) => s.trim());
    if (name?.toLowerCase() !== 'q') continue;
    if (!value || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) return null;
    return Number(value);
  }
  return 1;
}
