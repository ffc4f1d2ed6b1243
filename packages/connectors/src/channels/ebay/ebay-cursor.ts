import { ChannelError } from '../channel-connector.js';

/**
 * The window and offset of a run in progress. The window is fixed on the first page so later pages
 * page through the same result set while orders keep changing.
 */
export interface EbayCursor {
  from: string;
  until: string;
  offset: number;
}

export function encodeEbayCursor(cursor: EbayCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeEbayCursor(value: string): EbayCursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as EbayCursor;
    if (typeof parsed.from === 'string' && typeof parsed.until === 'string' && Number.isInteger(parsed.offset))
      return parsed;
  } catch {
    // fall through
  }
  throw new ChannelError(`eBay: unreadable cursor "${value}"`, null, false);
}
