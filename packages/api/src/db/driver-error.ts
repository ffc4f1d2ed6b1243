/**
 * A failed query's error from MikroORM/pg starts its message with the statement, every parameter
 * written into it (a buyer's email and name in an order insert), and may carry the row's values in
 * `detail` ("Key (email)=(…) already exists"). Logs and stored error texts get neither.
 */

/** Fields of a pg error that can hold the row's values or the statement. */
export const DATABASE_ERROR_DATA_FIELDS = ['detail', 'where', 'hint', 'internalQuery', 'query', 'sql', 'params'];

const STATEMENT = /^\s*\(?\s*(select|insert|update|delete|with|create|alter|drop|truncate|lock|copy|call|do)\b/i;

/** Whether `error` is a database driver's error (pg's own, or MikroORM's wrapper around it). */
export function isDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { sqlState?: unknown; severity?: unknown; routine?: unknown };
  return typeof e.sqlState === 'string' || (typeof e.severity === 'string' && typeof e.routine === 'string');
}

/** The database's own words about a failed statement, without the statement. */
export function withoutStatement(message: string): string {
  if (!STATEMENT.test(message)) return message;
  const at = message.lastIndexOf(' - ');
  return at >= 0 ? `(statement omitted) ${message.slice(at + 3)}` : '(statement omitted)';
}

/** An error's message fit to log or store: a database error's statement removed. */
export function safeErrorMessage(error: unknown): string {
  if (isDatabaseError(error)) return withoutStatement((error as Error).message);
  return error instanceof Error ? error.message : String(error);
}

/** A database error's stack with its first lines (the message) replaced by the safe message. */
export function safeErrorStack(error: Error): string | undefined {
  if (!isDatabaseError(error)) return error.stack;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [`${error.name}: ${safeErrorMessage(error)}`, ...frames].join('\n');
}
