import { StorageError } from '../storage-provider.js';

/** Maps an SDK RestError (or a network failure, which has no status) to a StorageError. */
export function mapAzureError(error: unknown, what: string): StorageError {
  if (error instanceof StorageError) return error;
  const status = (error as { statusCode?: number }).statusCode;
  const message = `${what}: ${(error as Error).message?.split('\n')[0] ?? String(error)}`;
  if (status === 404) return new StorageError('not_found', message);
  if (status === 401 || status === 403) return new StorageError('unauthorized', message);
  if (status === 416) return new StorageError('range_not_satisfiable', message);
  return new StorageError('unavailable', message);
}
