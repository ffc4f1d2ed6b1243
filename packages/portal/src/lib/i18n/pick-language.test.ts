import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './languages.js';
import { en } from './messages/en.js';
import { messagesFor } from './index.js';
import { matchLanguage, pickLanguage, preferredTags } from './pick-language.js';

describe('pickLanguage', () => {
  it('prefers the order language over the browser', () => {
    expect(pickLanguage('de', 'cs-CZ,cs;q=0.9,en;q=0.8')).toBe('de');
    expect(pickLanguage('zh-CN', 'de')).toBe('zh-CN');
  });

  it('falls back to the browser when the order language is missing or unsupported', () => {
    expect(pickLanguage(null, 'cs-CZ,cs;q=0.9,en;q=0.8')).toBe('cs');
    expect(pickLanguage('fr', 'de-AT, en;q=0.5')).toBe('de');
    expect(pickLanguage('', 'de')).toBe('de');
  });

  it('follows q-values rather than header order', () => {
    expect(pickLanguage(null, 'en;q=0.4, de;q=0.9, cs;q=0.6')).toBe('de');
    expect(pickLanguage(null, 'fr, cs;q=0.2, de;q=0.3')).toBe('de');
  });

  it('keeps header order between equal q-values', () => {
    expect(pickLanguage(null, 'cs;q=0.8, de;q=0.8')).toBe('cs');
  });

  it('skips languages we do not speak and ranges the buyer refused with q=0', () => {
    expect(pickLanguage(null, 'fr-FR, fr;q=0.9, de;q=0.1')).toBe('de');
    expect(pickLanguage(null, 'de;q=0, cs;q=0.1')).toBe('cs');
  });

  it('falls back to English when nothing matches', () => {
    expect(pickLanguage(null, null)).toBe('en');
    expect(pickLanguage(null, undefined)).toBe('en');
    expect(pickLanguage(null, '')).toBe('en');
    expect(pickLanguage(null, '*')).toBe('en');
    expect(pickLanguage(null, 'fr, es;q=0.5')).toBe('en');
    expect(pickLanguage('ja', 'ko')).toBe('en');
  });

  it('maps Simplified Chinese tags to zh-CN and lets Traditional Chinese fall through', () => {
    expect(pickLanguage(null, 'zh')).toBe('zh-CN');
    expect(pickLanguage(null, 'zh-CN,zh;q=0.9')).toBe('zh-CN');
    expect(pickLanguage(null, 'zh-Hans-SG')).toBe('zh-CN');
    expect(pickLanguage(null, 'zh-SG')).toBe('zh-CN');
    expect(pickLanguage(null, 'zh-TW, en;q=0.5')).toBe('en');
    expect(pickLanguage(null, 'zh-Hant, de;q=0.5')).toBe('de');
    expect(pickLanguage('zh-HK', 'cs')).toBe('cs');
  });

  it('ignores case, underscores and whitespace', () => {
    expect(pickLanguage('DE_at', null)).toBe('de');
    expect(pickLanguage(null, '  CS-cz ;  q=0.7 , EN ; q=0.3')).toBe('cs');
    expect(pickLanguage('zh_cn', null)).toBe('zh-CN');
  });

  it('drops malformed entries without giving up on the rest', () => {
    expect(pickLanguage(null, 'de;q=abc, cs;q=0.5')).toBe('cs');
    expect(pickLanguage(null, 'de;q=1.5, cs;q=0.5')).toBe('cs');
    expect(pickLanguage(null, '<script>, ;;, de')).toBe('de');
    expect(pickLanguage(null, 'english, de;q=0.1')).toBe('de');
  });
});

describe('preferredTags', () => {
  it('orders ranges by quality and drops wildcards', () => {
    expect(preferredTags('fr;q=0.5, *;q=0.1, de, en-GB;q=0.8')).toEqual(['de', 'en-GB', 'fr']);
  });

  it('reads at most 30 entries of a huge header', () => {
    const header = [...Array.from({ length: 40 }, (_, i) => `x-n${i}`), 'de'].join(',');
    expect(preferredTags(header)).toHaveLength(30);
    expect(pickLanguage(null, header)).toBe('en');
  });
});

describe('matchLanguage', () => {
  it('matches only on the primary subtag', () => {
    expect(matchLanguage('en-US')).toBe('en');
    expect(matchLanguage('cse')).toBeNull();
    expect(matchLanguage('d')).toBeNull();
    expect(matchLanguage('')).toBeNull();
  });
});

describe('dictionaries', () => {
  it('has a complete, non-empty dictionary for every language', () => {
    const shape = (m: object): string[] =>
      Object.entries(m).flatMap(([k, v]) => (typeof v === 'object' ? shape(v).map((s) => `${k}.${s}`) : [k]));
    for (const language of LANGUAGES) {
      const messages = messagesFor(language);
      expect(shape(messages)).toEqual(shape(en));
      const leaves = JSON.stringify(messages).match(/"[^"]*"/g) ?? [];
      expect(leaves.every((s) => s !== '""')).toBe(true);
    }
  });
});
