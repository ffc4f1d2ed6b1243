import { HandoffError, notFound } from '@handoff/shared';
import { StorageError } from '@handoff/connectors';

/**
 * Maps a provider failure to what a merchant-facing call reports: a ref outside the root or missing
 * is NOT_FOUND (no hint whether it exists elsewhere), an outage STORAGE_UNAVAILABLE, refused
 * credentials STORAGE_UNAUTHORIZED. Anything else is rethrown unchanged (unexpected, masked).
 */
export function storageFailure(error: unknown, what = 'File'): unknown {
  if (!(error instanceof StorageError)) return error;
  switch (error.reason) {
    case 'not_found':
    case 'outside_root':
      return notFound(what);
    case 'unauthorized':
      return new HandoffError('STORAGE_UNAUTHORIZED', 'The storage refused our credentials; reconnect it');
    case 'range_not_satisfiable':
      return new HandoffError('BAD_USER_INPUT', 'Range not satisfiable');
    default:
      return new HandoffError('STORAGE_UNAVAILABLE', 'The storage is unavailable; try again later');
  }
}
