import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';
import { DATABASE_ERROR_DATA_FIELDS, isDatabaseError, safeErrorMessage, safeErrorStack } from './db/driver-error.js';

export type { Logger };

/** Services log JSON to stdout; the CLI logs to stderr so its own output stays parseable. */
export function createLogger(level: string, name: string, destination: 1 | 2 | DestinationStream = 1): Logger {
  return pino(
    {
      name,
      level,
      // Secrets never reach the log, even when a caller logs a whole request.
      redact: ['req.headers.authorization', 'headers.authorization', '*.apiKey', '*.password', '*.code'],
      serializers: { err: serializeError },
    },
    typeof destination === 'number' ? pino.destination(destination) : destination,
  );
}

/**
 * pino's error serializer, minus what a failed query carries about the data: the statement with
 * its values (a buyer's email and name) and the pg fields that quote the row.
 */
export function serializeError(err: unknown): unknown {
  const out = stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!(err instanceof Error)) return out;
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 10; e = e.cause) chain.push(e);
  if (!chain.some(isDatabaseError)) return out;
  out.message = chain.map(safeErrorMessage).join(': ');
  out.stack = chain.map(safeErrorStack).join('\ncaused by: ');
  for (const field of DATABASE_ERROR_DATA_FIELDS) delete out[field];
  return out;
}
