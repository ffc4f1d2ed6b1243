import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    // Secrets never reach the log, even when a caller logs a whole request.
    redact: ['req.headers.authorization', 'headers.authorization', '*.apiKey', '*.password', '*.code'],
  });
}
