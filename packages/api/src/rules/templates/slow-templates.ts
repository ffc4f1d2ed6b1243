import type { RenderFailedError } from './render-pool.js';

/** How long a template that hit the limit is refused without another try. */
const REMEMBER_MS = 10 * 60_000;
const MAX_REMEMBERED = 1_000;

/**
 * Templates that ran into the time or memory limit, and for how large an order (lines plus
 * downloads). A page of a hundred orders with such a template costs one timeout, not a hundred:
 * the others of that size or larger are refused at once, until the merchant changes the template
 * or the memory expires. Smaller orders still get their try.
 */
export class SlowTemplates {
  private readonly seen = new Map<string, { size: number; error: RenderFailedError; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Throws the remembered failure when this template already failed for an order this large. */
  check(key: string, size: number): void {
    const entry = this.seen.get(key);
    if (!entry) return;
    if (entry.until <= this.now()) this.seen.delete(key);
    else if (size >= entry.size) throw entry.error;
  }

  record(key: string, size: number, error: RenderFailedError): void {
    const held = this.seen.get(key);
    if (held && held.until > this.now() && held.size <= size) return;
    this.seen.delete(key);
    if (this.seen.size >= MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(key, { size, error, until: this.now() + REMEMBER_MS });
  }
}
