import type { Language } from './languages.js';
import { cs } from './messages/cs.js';
import { de } from './messages/de.js';
import { en } from './messages/en.js';
import type { Messages } from './messages/messages.js';
import { zhCN } from './messages/zh-CN.js';

export { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages.js';
export type { Messages } from './messages/messages.js';
export { pickLanguage } from './pick-language.js';
export { chooseLanguage, explicitLanguage, LANGUAGE_COOKIE } from './choose-language.js';

const dictionaries: Record<Language, Messages> = { en, de, cs, 'zh-CN': zhCN };

export function messagesFor(language: Language): Messages {
  return dictionaries[language];
}
