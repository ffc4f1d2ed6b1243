import { pino, type Logger } from 'pino';

export type { Logger };

/** Services log JSON to stdout; the CLI logs to stderr so its own output stays parseable. */
export function createLogger(level: string, name: string, destination: 1 | 2 = 1): Logger {
  return pino(
    {
      name,
      level,
      // Secrets never reach the log, even when a caller logs a whole request.
      redact: ['req.headers.authorization', 'headers.authorization', '*.apiKey', '*.password', '*.code'],
    },
    pino.destination(destination),
  );
}
