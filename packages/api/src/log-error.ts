import { pino } from 'pino';
import { DATABASE_ERROR_DATA_FIELDS, isDatabaseError, safeErrorMessage, safeErrorStack } from './db/driver-error.js';

/** What pino's serializer builds serialized errors on (plain data too). */
const SERIALIZED_ERROR = Object.getPrototypeOf(pino.stdSerializers.err(new Error())) as unknown;

/** Keys whose values never reach a log, at any depth of a logged error. */
const SECRET_KEYS = new Set(['client', 'connection', 'connectionParameters', 'password', 'config']);

/**
 * Pino's error serializer copies every property of an error, and pg-pool puts the idle client on
 * the errors it emits (`err.client`: connection parameters with the password, sockets, internal
 * state). Logged errors keep their message, stack, code and plain fields; objects that are not
 * plain data (class instances such as clients and sockets) and secret-named keys are left out.
 * A failed query also loses what it carries about the data: the statement with its values (a
 * buyer's email and name) and the pg fields that quote the row.
 */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return plainData(withoutQueryData(error), 0);
}

function withoutQueryData(err: Error): Record<string, unknown> {
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 10; e = e.cause) chain.push(e);
  if (!chain.some(isDatabaseError)) return out;
  out.message = chain.map(safeErrorMessage).join(': ');
  out.stack = chain.map(safeErrorStack).join('\ncaused by: ');
  for (const field of DATABASE_ERROR_DATA_FIELDS) delete out[field];
  return out;
}

function plainData(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 4) return '[…]';
  if (Array.isArray(value)) return value.map((item) => plainData(item, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null && proto !== SERIALIZED_ERROR) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (SECRET_KEYS.has(key)) continue;
    const clean = field instanceof Error ? serializeError(field) : plainData(field, depth + 1);
    if (clean !== undefined) out[key] = clean;
  }
  return out;
}
