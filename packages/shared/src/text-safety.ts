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

/**
 * The first string (or object key) in a JSON-like value that cannot be stored, if any. Walks with
 * its own stack (a request's JSON variable may nest deeper than the call stack goes) and links each
 * step to its parent, building a path only for what it finds.
 */
export function findUnstorableText(value: unknown, path: Array<string | number> = []): UnstorableValue | null {
  interface Step {
    value: unknown;
    key?: string | number;
    parent?: Step;
  }
  const pathOf = (step: Step | undefined, key?: string): Array<string | number> => {
    const keys: Array<string | number> = key === undefined ? [] : [key];
    for (let s = step; s && s.key !== undefined; s = s.parent) keys.push(s.key);
    return [...path, ...keys.reverse()];
  };
  const pending: Step[] = [{ value }];
  while (pending.length) {
    const step = pending.pop()!;
    const v = step.value;
    if (typeof v === 'string') {
      const reason = unstorableText(v);
      if (reason) return { path: pathOf(step), reason, text: v };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) pending.push({ value: v[i], key: i, parent: step });
    } else if (v && typeof v === 'object' && !(v instanceof Date)) {
      const entries = Object.entries(v);
      for (const [key] of entries) {
        const reason = unstorableText(key);
        if (reason) return { path: pathOf(step, key), reason: `has a key that ${reason}`, text: key };
      }
      for (let i = entries.length - 1; i >= 0; i--)
        pending.push({ value: entries[i]![1], key: entries[i]![0], parent: step });
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
