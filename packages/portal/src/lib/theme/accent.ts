import { accentTheme } from '@handoff/shared';

/** The readable variants of the brand colour live in shared: the API's emails use the same buttons. */
export { accentTheme, contrastRatio, normalizeHex, type AccentTheme } from '@handoff/shared';

/** The stylesheet served at /theme/<hex>.css; `html:root` outranks app.css's `:root` in both themes. */
export function accentStylesheet(hex: string): string {
  const { light, dark } = accentTheme(hex);
  return (
    `html:root{--accent:${light.accent};--accent-contrast:${light.contrast}}\n` +
    `@media (prefers-color-scheme: dark){html:root{--accent:${dark.accent};--accent-contrast:${dark.contrast}}}\n`
  );
}
