/**
 * Parses a `Retry-After` value (delta seconds or an HTTP date) into milliseconds from `now`.
 * Returns null when the header is absent or unreadable, so the caller falls back to backoff.
 */
export function parseRetryAfter(value: string | null, now: Date): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/** Exponential backoff with "equal jitter": half the step is fixed, half random, so waits never collapse to 0. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const step = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.round(step / 2 + random() * (step / 2));
}
