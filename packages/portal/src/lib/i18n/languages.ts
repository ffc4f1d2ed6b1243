/** Languages the portal speaks, as BCP 47 tags. English is the fallback. */
export const LANGUAGES = ['en', 'de', 'cs', 'zh-CN'] as const;

export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'en';
