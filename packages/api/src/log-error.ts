import { pino } from 'pino';

/** What pino's serializer builds serialized errors on (plain data too). */
const SERIALIZED_ERROR = Object.getPrototypeOf(pino.stdSerializers.err(new Error())) as unknown;

/** Keys whose values never reach a log, at any depth of a logged error. */
const SECRET_KEYS = new Set(['client', 'connection', 'connectionParameters', 'password', 'config']);

/**
 * Pino's error serializer copies every property of an error, and pg-pool puts the idle client on
 * the errors it emits (`err.client`: connection parameters with the password, sockets, internal
 * state). Logged errors keep their message, stack, code and plain fields; objects that are not
 * plain data (class instances such as clients and sockets) and secret-named keys are left out.
 */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return plainData(pino.stdSerializers.err(error), 0);
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
