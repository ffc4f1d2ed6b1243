import { pino, type DestinationStream, type Logger } from 'pino';
import { serializeError } from './log-error.js';

export type { Logger };

/** Services log JSON to stdout; the CLI logs to stderr so its own output stays parseable. */
export function createLogger(level: string, name: string, destination: 1 | 2 | DestinationStream = 1): Logger {
  return pino(
    {
      name,
      level,
      // Secrets never reach the log, even when a caller logs a whole request.
      redact: ['req.headers.authorization', 'headers.authorization', '*.apiKey', '*.password', '*.code'],
      // Errors are logged without the clients and connection parameters some libraries attach.
      serializers: { err: serializeError },
    },
    typeof destination === 'number' ? pino.destination(destination) : destination,
  );
}
