import { ChannelError } from '../channel-connector.js';

/**
 * Cursors are opaque to the hub but must survive a crash between pages: each one carries everything
 * needed to fetch the next page, including the run's `since`. Encoded as base64url JSON with a kind
 * tag so a cursor from another channel (or an older format) is refused instead of misread.
 */
export function encodeCursor(kind: string, state: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ k: kind, ...state }), 'utf8').toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(kind: string, cursor: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ChannelError(`Unreadable ${kind} cursor`, null, false);
  }
  if (!parsed || typeof parsed !== 'object' || (parsed as { k?: unknown }).k !== kind) {
    throw new ChannelError(`Not a ${kind} cursor`, null, false);
  }
  return parsed as T;
}

/** ISO string or null back into a Date. */
export function cursorDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
