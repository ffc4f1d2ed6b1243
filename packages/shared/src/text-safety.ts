/**
 * Text PostgreSQL cannot store: a NUL character (text and jsonb refuse it) and UTF-16 surrogates
 * without their pair (not Unicode at all; jsonb refuses the escape, text silently mangles it).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Why `text` cannot be stored, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000)';
  if (text.search(LONE_SURROGATE) >= 0) return 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return null;
}

/** `text` made storable: NUL characters dropped, unpaired surrogates replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

export interface UnstorableValue {
  /** Where in the value: object keys and list indexes. */
  path: Array<string | number>;
  reason: string;
  /** The offending string (or key). */
  text: string;
}

/** Line and column (1-based) of the first character `unstorableText` objects to, for messages. */
export function unstorablePosition(text: string): { line: number; column: number } | null {
  const nul = text.indexOf('\u0000');
  const surrogate = text.search(LONE_SURROGATE);
  const candidates = [nul, surrogate].filter((i) => i >= 0);
  if (candidates.length === 0) return null;
  const at = Math.min(...candidates);
  const before = text.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: at - lineStart + 1 };
}

/** The first string (or object key) in a JSON-like value that cannot be stored, if any. */
export function findUnstorableText(value: unknown, path: Array<string | number> = []): UnstorableValue | null {
  if (typeof value === 'string') {
    const reason = unstorableText(value);
    return reason ? { path, reason, text: value } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const reason = unstorableText(key);
      if (reason) return { path: [...path, key], reason: `has a key that ${reason}`, text: key };
      const found = findUnstorableText(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** A JSON-like value with every string and key made storable (dates and other scalars kept). */
export function storableDeep<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableDeep) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableDeep(v)])) as T;
  }
  return value;
}

/** The largest amount a money or count column (PostgreSQL integer, minor units) holds. */
export const MAX_STORABLE_INT = 2_147_483_647;

/** Whether a count or amount fits a PostgreSQL integer column. */
export function isStorableInt(n: number): boolean {
  return Number.isInteger(n) && n >= -MAX_STORABLE_INT - 1 && n <= MAX_STORABLE_INT;
}

/** `path` as `a.b[0].c`, for messages that name a field. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}
