import { ChannelError } from '../channel-connector.js';

/**
 * v0: getOrders' NextToken (it stands for the whole query). 2026-01-01: the paginationToken plus the
 * `lastUpdatedAfter` it was issued for, since searchOrders wants every parameter repeated unchanged.
 */
export type AmazonCursor = { api: 'v0'; token: string } | { api: '2026-01-01'; token: string; after: string };

export function encodeAmazonCursor(cursor: AmazonCursor): string {
  return Buffer.from(JSON.stringify({ k: 'amazon', ...cursor })).toString('base64url');
}

export function decodeAmazonCursor(value: string, api: AmazonCursor['api']): AmazonCursor {
  let parsed: ({ k?: string } & Partial<{ api: string; token: string; after: string }>) | undefined;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (parsed?.k === 'amazon' && parsed.api === api && typeof parsed.token === 'string') {
    if (api === 'v0') return { api, token: parsed.token };
    if (typeof parsed.after === 'string') return { api, token: parsed.token, after: parsed.after };
  }
  throw new ChannelError(`Amazon: unreadable or foreign cursor for the ${api} Orders API`, null, false);
}
