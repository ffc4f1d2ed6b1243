import { ChannelError } from '../channel-connector.js';

/**
 * Keyset position in receipts sorted by `updated_timestamp` ascending. The next page restarts at
 * `from` (unix seconds, inclusive) instead of a global offset, so receipts changing mid-run move
 * behind the position rather than shifting unseen ones onto pages already read. Within the second
 * `from` the position is an offset (`count` receipts of that second returned so far); the next page
 * starts a few places earlier and drops the ids in `recent`, which absorbs receipts of that second
 * that changed (and so left it) mid-run.
 */
export interface EtsyCursor {
  from: number;
  count: number;
  /** The last ids returned with `updated_timestamp === from` (bounded). */
  recent: number[];
}

export function encodeEtsyCursor(cursor: EtsyCursor): string {
  return Buffer.from(JSON.stringify({ k: 'etsy', ...cursor })).toString('base64url');
}

export function decodeEtsyCursor(value: string): EtsyCursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { k?: string } & EtsyCursor;
    if (
      parsed.k === 'etsy' &&
      Number.isInteger(parsed.from) &&
      Number.isInteger(parsed.count) &&
      Array.isArray(parsed.recent)
    ) {
      return { from: parsed.from, count: parsed.count, recent: parsed.recent };
    }
  } catch {
    // fall through
  }
  throw new ChannelError(`Etsy: unreadable cursor "${value}"`, null, false);
}
