/**
 * The closed set of error codes clients can rely on. GraphQL errors carry one in
 * `extensions.code`, mutation payloads in `userErrors[].code`, HTTP routes in the JSON body.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_USER_INPUT: 400,
  CONFLICT: 409,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
  /** A merchant's storage (Dropbox, Drive, Azure) did not answer or failed; try again later. */
  STORAGE_UNAVAILABLE: 503,
  /** The storage refused our credentials; the merchant must reconnect it. */
  STORAGE_UNAUTHORIZED: 502,
  /** A feature needs configuration the operator has not given (e.g. an OAuth app's client id). */
  NOT_CONFIGURED: 501,
  INTERNAL_SERVER_ERROR: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

/** An expected failure with a stable code; its message is safe to show to the caller. */
export class HandoffError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HandoffError';
  }
  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }
}

export const notFound = (what: string) => new HandoffError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'Not allowed') => new HandoffError('FORBIDDEN', message);
export const unauthenticated = (message = 'A valid API key is required') =>
  new HandoffError('UNAUTHENTICATED', message);
export const invalidInput = (message: string, field?: string) => new HandoffError('BAD_USER_INPUT', message, field);
export const conflict = (message: string, field?: string) => new HandoffError('CONFLICT', message, field);
