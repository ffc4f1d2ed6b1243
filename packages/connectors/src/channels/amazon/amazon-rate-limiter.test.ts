import { describe, expect, it } from 'vitest';
import { TokenBucket } from './amazon-rate-limiter.js';

/** A bucket on a clock that stands still: only the waits it asks for are recorded. */
function bucket(rate: number, burst: number) {
  const waits: number[] = [];
  const tokens = new TokenBucket(
    rate,
    burst,
    () => 0,
    async (ms) => void waits.push(ms),
  );
  return { tokens, waits };
}

describe('TokenBucket', () => {
  it('spends the burst, then callers side by side wait one interval more each (the outbox sends a page at once)', async () => {
    const { tokens, waits } = bucket(1, 5);
    await Promise.all(Array.from({ length: 8 }, () => tokens.take()));
    // Not [1000, 1000, 1000]: three callers waking for the same refilled token would all send.
    expect(waits).toEqual([1000, 2000, 3000]);
  });

  it('after a 429 the next caller waits a full interval, and reservations already made stay', async () => {
    const { tokens, waits } = bucket(2, 2);
    await tokens.take();
    tokens.empty();
    await tokens.take();
    await Promise.all([tokens.take(), tokens.take()]);
    tokens.empty(); // the balance is below zero: emptying must not forgive what is reserved
    await tokens.take();
    expect(waits).toEqual([500, 1000, 1500, 2000]);
  });
});
