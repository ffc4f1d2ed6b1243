import { StorageError, type ByteRange } from './storage-provider.js';

/** Checks a requested range against the file size and clamps its end, as HTTP servers do. */
export function clampRange(range: ByteRange, size: number): ByteRange {
  const valid = Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0;
  if (!valid || range.end < range.start || range.start >= size) {
    throw new StorageError(
      'range_not_satisfiable',
      `range ${range.start}-${range.end} not satisfiable for ${size} bytes`,
    );
  }
  return { start: range.start, end: Math.min(range.end, size - 1) };
}

/** Reads `bytes a-b/size` from a Content-Range header; null when absent or unparsable. */
export function parseContentRange(header: string | null | undefined): { range: ByteRange; size: number } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  return { range: { start: Number(match[1]), end: Number(match[2]) }, size: Number(match[3]) };
}

/** The HTTP Range header value for a range. */
export function rangeHeader(range: ByteRange): string {
  return `bytes=${range.start}-${range.end}`;
}
