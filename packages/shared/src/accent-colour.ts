/**
 * The merchant's accent (brand) colour, made readable (the portal's pages and the emails both use it):
 * links and buttons use it on the light and the dark theme, so each theme gets a variant with at least 4.5:1 contrast to its surfaces (WCAG AA), and a
 * text colour for buttons filled with it.
 */
export interface AccentTheme {
  light: { accent: string; contrast: string };
  dark: { accent: string; contrast: string };
}

type Rgb = [number, number, number];

const LIGHT_SURFACES: Rgb[] = [
  [0xff, 0xff, 0xff],
  [0xf4, 0xf5, 0xf7],
];
const DARK_SURFACES: Rgb[] = [
  [0x11, 0x14, 0x18],
  [0x1a, 0x1e, 0x24],
];
const WHITE: Rgb = [0xff, 0xff, 0xff];
const INK: Rgb = [0x11, 0x14, 0x18];
const MIN_CONTRAST = 4.5;

/** `#abc` or `#aabbcc` (case-insensitive, `#` optional) → normalised `aabbcc`, else null. */
export function normalizeHex(value: string | null | undefined): string | null {
  const hex = (value ?? '').trim().replace(/^#/, '').toLowerCase();
  if (/^[0-9a-f]{6}$/.test(hex)) return hex;
  if (/^[0-9a-f]{3}$/.test(hex)) return [...hex].map((c) => c + c).join('');
  return null;
}

function rgbOf(hex: string): Rgb {
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

function hexOf(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

function luminance([r, g, b]: Rgb): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function mix(from: Rgb, to: Rgb, amount: number): Rgb {
  return from.map((c, i) => c + (to[i]! - c) * amount) as Rgb;
}

/** The least mix of `color` towards `target` that reads on every surface. */
function readable(color: Rgb, target: Rgb, surfaces: Rgb[]): Rgb {
  for (let step = 0; step <= 20; step++) {
    const candidate = mix(color, target, step / 20);
    if (surfaces.every((s) => contrastRatio(candidate, s) >= MIN_CONTRAST)) return candidate;
  }
  return target;
}

function textOn(color: Rgb): string {
  return contrastRatio(color, WHITE) >= contrastRatio(color, INK) ? '#ffffff' : hexOf(INK);
}

export function accentTheme(hex: string): AccentTheme {
  const base = rgbOf(hex);
  const light = readable(base, [0, 0, 0], LIGHT_SURFACES);
  const dark = readable(base, WHITE, DARK_SURFACES);
  return {
    light: { accent: hexOf(light), contrast: textOn(light) },
    dark: { accent: hexOf(dark), contrast: textOn(dark) },
  };
}

/** The brand colour of a button in an email (a light page): the portal's light-theme button, exactly. */
export function emailButtonColours(accentColor: string): { background: string; text: string } {
  const { light } = accentTheme(normalizeHex(accentColor) ?? '2454d6');
  return { background: light.accent, text: light.contrast };
}
