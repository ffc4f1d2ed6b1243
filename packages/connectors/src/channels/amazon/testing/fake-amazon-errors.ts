import type { FakeResponse } from '../../http/testing/fake-http-server.js';

/** SP-API's error body: `{ errors: [{ code, message, details }] }`. */
export const spError = (status: number, code: string, message: string, details = ''): FakeResponse => ({
  status,
  body: { errors: [{ code, message, details }] },
});

export const FAULT_CODES: Record<number, [string, string]> = {
  400: ['InvalidInput', 'Request has missing or invalid parameters and cannot be parsed.'],
  403: ['Unauthorized', 'Access to requested resource is denied.'],
  404: ['NotFound', 'The resource specified does not exist.'],
  429: ['QuotaExceeded', 'You exceeded your quota for the requested resource.'],
  500: ['InternalFailure', 'We encountered an internal error. Please try again.'],
  503: ['ServiceUnavailable', 'Temporary overloading or maintenance of the server.'],
};
