import type { ByteRange } from '@handoff/connectors';

/** What a request asks for: one range, a suffix (`bytes=-n`), or the whole file. */
export type RangeAsk = { kind: 'range'; range: ByteRange } | { kind: 'suffix'; length: number } | { kind: 'none' };

/**
 * Reads the `Range` and `If-Range` headers. Only one well-formed byte range is honoured; several
 * ranges, other units or bad syntax ask for the whole file (RFC 9110 lets a server ignore Range),
 * which is a new download, never a resume. If-Range honours Range only when it matches a validator
 * the server sent; we send none, so a request carrying If-Range asks for the whole file.
 */
export function requestedRange(range: string | undefined, ifRange: string | undefined): RangeAsk {
  if (ifRange !== undefined) return { kind: 'none' };
  return parseRangeHeader(range);
}

/** Parses a single-range `Range: bytes=…` header; an open end is clamped by the provider. */
function parseRangeHeader(header: string | undefined): RangeAsk {
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

/**
 * The fewest bytes a resume of this ask would need on its use (`size` is the file's size when
 * known), or null when the ask cannot resume: a resume goes on from an offset past the first byte.
 */
export function resumeNeeds(ask: RangeAsk, size: number | null): number | null {
  if (ask.kind === 'none' || (ask.kind === 'range' && ask.range.start === 0)) return null;
  if (size === null) return 1;
  if (ask.kind === 'suffix') return ask.length >= size ? null : ask.length;
  return Math.max(1, Math.min(ask.range.end, size - 1) - ask.range.start + 1);
}
