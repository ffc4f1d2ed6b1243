import type { ByteRange } from '@handoff/connectors';

/** What a Range header asks for: one range, a suffix (`bytes=-n`), or nothing we honour. */
export type RangeAsk = { kind: 'range'; range: ByteRange } | { kind: 'suffix'; length: number } | { kind: 'none' };

/**
 * Parses a single-range `Range: bytes=…` header. Several ranges, other units or bad syntax are
 * ignored (the whole file is sent, as RFC 9110 allows); an open end is clamped by the provider.
 */
export function parseRangeHeader(header: string | undefined): RangeAsk {
  if (!header || header.length > 100) return { kind: 'none' };
  const match = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(header.trim());
  if (!match) return { kind: 'none' };
  const [, from, to] = match;
  if (from === '' && to === '') return { kind: 'none' };
  if (from === '') return Number(to) > 0 ? { kind: 'suffix', length: Number(to) } : { kind: 'none' };
  const start = Number(from);
  const end = to === '' ? Number.MAX_SAFE_INTEGER : Number(to);
  if (end < start) return { kind: 'none' };
  return { kind: 'range', range: { start, end } };
}
