import { LANGUAGES, type Language } from './languages.js';
import { pickLanguage } from './pick-language.js';

/** The cookie that remembers a language the buyer picked with the switcher. */
export const LANGUAGE_COOKIE = 'handoff_lang';

/** One of our exact tags (`?lang=de`, the cookie), else null: the switcher never guesses. */
export function explicitLanguage(value: string | null | undefined): Language | null {
  return LANGUAGES.find((language) => language === value) ?? null;
}

/**
 * The buyer's explicit choice (switcher: `?lang=`, then the cookie) wins; otherwise the order's
 * language, then Accept-Language, then English.
 */
export function chooseLanguage(input: {
  query?: string | null;
  cookie?: string | null;
  order?: string | null;
  acceptLanguage?: string | null;
}): Language {
  return (
    explicitLanguage(input.query) ??
    explicitLanguage(input.cookie) ??
    pickLanguage(input.order ?? null, input.acceptLanguage)
  );
}
