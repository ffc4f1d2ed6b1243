import { describe, expect, it } from 'vitest';
import { accentStylesheet, accentTheme, contrastRatio, normalizeHex } from './accent.js';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

describe('normalizeHex', () => {
  it('accepts #rgb and #rrggbb in any case, with or without #', () => {
    expect(normalizeHex('#0F7B6C')).toBe('0f7b6c');
    expect(normalizeHex('abc')).toBe('aabbcc');
    expect(normalizeHex(' #fff ')).toBe('ffffff');
  });

  it('rejects anything that could smuggle CSS', () => {
    for (const bad of ['red', '#12345', '#1234567', 'fff;}body{', 'url(x)', '', null, undefined]) {
      expect(normalizeHex(bad)).toBeNull();
    }
  });
});

describe('accentTheme', () => {
  it('keeps a dark brand colour as it is on the light theme and lightens it for the dark one', () => {
    const theme = accentTheme('1d3fb8');
    expect(theme.light.accent).toBe('#1d3fb8');
    expect(theme.light.contrast).toBe('#ffffff');
    expect(contrastRatio(rgb(theme.dark.accent), rgb('#1a1e24'))).toBeGreaterThanOrEqual(4.5);
    expect(theme.dark.accent).not.toBe('#1d3fb8');
  });

  it('darkens a pale brand colour until links read on white (WCAG AA)', () => {
    const theme = accentTheme('ffd500');
    expect(contrastRatio(rgb(theme.light.accent), rgb('#ffffff'))).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(rgb(theme.light.accent), rgb('#f4f5f7'))).toBeGreaterThanOrEqual(4.5);
    expect(theme.dark.accent).toBe('#ffd500');
    expect(theme.dark.contrast).toBe('#111418');
  });

  it('writes a stylesheet for both colour schemes', () => {
    const css = accentStylesheet('0f7b6c');
    expect(css).toContain('html:root{--accent:#0f7b6c;--accent-contrast:#ffffff}');
    expect(css).toMatch(/@media \(prefers-color-scheme: dark\)\{html:root\{--accent:#[0-9a-f]{6};/);
  });
});
