const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids from callers are checked before they reach SQL: a malformed one is "not found", not a 500. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
