import { StorageError } from '../storage-provider.js';

interface GoogleErrorShape {
  status: number | null;
  /** errors[0].reason of a Google API error, or the OAuth `error` of a token failure. */
  reason: string | null;
  retryAfterMs: number | null;
}

/** Reads status, reason and Retry-After from a GaxiosError (stream responses carry the body as text). */
export function describeGoogleError(error: unknown): GoogleErrorShape {
  const response = (error as { response?: { status?: number; data?: unknown; headers?: unknown } }).response;
  if (!response) return { status: null, reason: null, retryAfterMs: null };
  let data = response.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      // not JSON: only the status tells
    }
  }
  const body = data as { error?: string | { errors?: Array<{ reason?: string }> } } | undefined;
  const reason = typeof body?.error === 'string' ? body.error : (body?.error?.errors?.[0]?.reason ?? null);
  const headers = response.headers as { get?: (name: string) => string | null } | undefined;
  const retryAfter = Number(headers?.get?.('retry-after') ?? NaN);
  return {
    status: response.status ?? null,
    reason,
    retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : null,
  };
}

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded']);

/** Worth another attempt: no response at all, 429, rate-limit 403s, 5xx. */
export function isTransientGoogleError(error: unknown): boolean {
  if (error instanceof StorageError) return false;
  const { status, reason } = describeGoogleError(error);
  if (status === null) return true;
  return status === 429 || status >= 500 || (status === 403 && RATE_LIMIT_REASONS.has(reason ?? ''));
}

export function mapGoogleError(error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error;
  const { status, reason } = describeGoogleError(error);
  const message = `${what}: ${status ?? 'no response'} ${reason ?? (error as Error).message ?? ''}`.trim();
  if (status === 404) return new StorageError('not_found', message);
  if (status === 416) return new StorageError('range_not_satisfiable', message);
  if (status === 403 && reason === 'fileNotDownloadable')
    return new StorageError('not_found', `${message} (Google Docs files have no bytes)`);
  if (isTransientGoogleError(error)) return new StorageError('unavailable', message);
  // 401, other 403s, and token-endpoint refusals (invalid_grant: the merchant revoked access).
  if (status === 401 || status === 403 || reason === 'invalid_grant' || reason === 'invalid_client') {
    return new StorageError('unauthorized', message);
  }
  return new StorageError('unavailable', message);
}
