import { describe, expect, it } from 'vitest';
import { chooseLanguage, explicitLanguage } from './choose-language.js';

describe('chooseLanguage', () => {
  it('lets the switcher (query, then cookie) win over the order and the browser', () => {
    expect(chooseLanguage({ query: 'cs', cookie: 'de', order: 'zh-CN', acceptLanguage: 'en' })).toBe('cs');
    expect(chooseLanguage({ cookie: 'de', order: 'zh-CN', acceptLanguage: 'en' })).toBe('de');
  });

  it('uses the order’s language, then Accept-Language, without a choice', () => {
    expect(chooseLanguage({ order: 'de-AT', acceptLanguage: 'cs' })).toBe('de');
    expect(chooseLanguage({ order: null, acceptLanguage: 'cs-CZ,en;q=0.5' })).toBe('cs');
    expect(chooseLanguage({})).toBe('en');
  });

  it('ignores a switcher value that is not exactly one of our languages', () => {
    expect(chooseLanguage({ query: 'fr', cookie: 'de-DE', acceptLanguage: 'zh-CN' })).toBe('zh-CN');
    expect(explicitLanguage('zh-CN')).toBe('zh-CN');
    expect(explicitLanguage('zh')).toBeNull();
    expect(explicitLanguage('<b>')).toBeNull();
  });
});
