import { NotificationError } from '../notification-transport.js';

/** Failures of the network or the server's availability: worth another attempt later. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPROXY',
  'EMAXLIMIT',
]);

/**
 * Classifies a nodemailer error. SMTP says it all in the reply code: 4xx = try again later,
 * 5xx = do not (RFC 5321 §4.2.1). Without a reply, network trouble is transient and anything
 * else (bad address, bad config) is permanent.
 */
export function classifySmtpError(error: unknown): NotificationError {
  if (error instanceof NotificationError) return error;
  const err = error as { message?: string; code?: string; responseCode?: number; response?: string };
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : null;
  const code = err.code ?? null;
  const retryable = responseCode !== null ? responseCode >= 400 && responseCode < 500 : TRANSIENT_CODES.has(code ?? '');
  const reply = err.response ? ` (${err.response.split('\n')[0]})` : '';
  return new NotificationError(`${err.message ?? String(error)}${reply}`, retryable, responseCode, code);
}
