/** Template types and language choice; LiquidJS itself runs on the render threads (template-renderer.ts). */

export interface RenderedMessage {
  language: string;
  subject: string;
  html: string;
  text: string;
}

export interface TemplateVariantInput {
  subject: string;
  html: string;
  text: string;
}

/**
 * The variant for a buyer's language: exact tag, then same primary language (de-AT → de,
 * zh → zh-CN), then the template's fallback, then the first one.
 */
export function pickLanguage(available: string[], wanted: string | null | undefined, fallback: string): string {
  const lower = (s: string) => s.toLowerCase();
  if (wanted) {
    const w = lower(wanted.replace('_', '-'));
    const exact = available.find((l) => lower(l) === w);
    if (exact) return exact;
    const primary = w.split('-')[0]!;
    const same =
      available.find((l) => lower(l) === primary) ?? available.find((l) => lower(l).split('-')[0] === primary);
    if (same) return same;
  }
  if (available.includes(fallback)) return fallback;
  return available[0]!;
}
