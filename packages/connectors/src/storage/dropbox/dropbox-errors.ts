import { DropboxResponseError } from 'dropbox';
import { OAuthError } from '../oauth.js';
import { StorageError } from '../storage-provider.js';

/** The `error_summary` of a Dropbox error body ('path/not_found/..'), or ''. */
export function errorSummary(error: unknown): string {
  const body = (error as { error?: unknown }).error;
  if (body && typeof body === 'object' && 'error_summary' in body) return String(body.error_summary);
  return typeof body === 'string' ? body : '';
}

export function isExpiredToken(error: unknown): boolean {
  return (
    error instanceof DropboxResponseError &&
    error.status === 401 &&
    errorSummary(error).startsWith('expired_access_token')
  );
}

/** True for failures worth another attempt: rate limits, 5xx, and the network itself. */
export function isTransient(error: unknown): boolean {
  if (error instanceof DropboxResponseError) return error.status === 429 || error.status >= 500;
  return error instanceof TypeError; // fetch's "fetch failed" (connection refused, reset)
}

/** Retry-After in ms from a 429 (header or body), or null. */
export function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof DropboxResponseError)) return null;
  const header = (error.headers as Headers | undefined)?.get?.('retry-after');
  const body = (error.error as { error?: { retry_after?: number } } | undefined)?.error?.retry_after;
  const seconds = header != null ? Number(header) : body;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds * 1000 : null;
}

export function mapDropboxError(error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error;
  if (error instanceof OAuthError) {
    return new StorageError(
      error.retryable ? 'unavailable' : 'unauthorized',
      `${what}: token refresh failed: ${error.message}`,
    );
  }
  if (error instanceof DropboxResponseError) {
    const summary = errorSummary(error);
    const message = `${what}: ${error.status} ${summary}`.trim();
    if (error.status === 409) {
      if (/(^|\/)(not_found|not_file|not_folder|malformed_path)\//.test(summary))
        return new StorageError('not_found', message);
      if (/restricted_content|unsupported_content/.test(summary)) return new StorageError('unauthorized', message);
      return new StorageError('unavailable', message);
    }
    if (error.status === 401 || error.status === 403) return new StorageError('unauthorized', message);
    if (error.status === 416) return new StorageError('range_not_satisfiable', message);
    return new StorageError('unavailable', message);
  }
  return new StorageError('unavailable', `${what}: ${(error as Error).message ?? String(error)}`);
}
