/**
 * Client-side token bucket per SP-API operation, so a run spends Amazon's burst and then paces at
 * the restore rate instead of collecting 429s. The rate follows `x-amzn-RateLimit-Limit` when sent.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private rate: number,
    private readonly burst: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /**
   * Takes a token, waiting until it has refilled. The token is reserved before the wait (the
   * balance may go below zero), so callers waiting side by side queue one interval apart instead
   * of all waking for the same token.
   */
  async take(): Promise<void> {
    this.refill();
    this.tokens -= 1;
    if (this.tokens < 0) await this.sleep(Math.ceil((-this.tokens / this.rate) * 1000));
  }

  /** Reads `x-amzn-RateLimit-Limit` (requests per second) when the response carries it. */
  observe(headers: Headers): void {
    const limit = Number(headers.get('x-amzn-ratelimit-limit'));
    if (Number.isFinite(limit) && limit > 0) this.rate = limit;
  }

  /** Milliseconds until one request is allowed again at the current rate. */
  get intervalMs(): number {
    return Math.ceil(1000 / this.rate);
  }

  /** After a 429 Amazon's bucket is empty whatever ours says. */
  empty(): void {
    this.tokens = Math.min(this.tokens, 0);
    this.last = this.now();
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.last) / 1000) * this.rate);
    this.last = at;
  }
}

/** Default usage plans (requests per second, burst) from the SP-API models. */
export const AMAZON_USAGE_PLANS = {
  getOrders: { rate: 0.0167, burst: 20 },
  getOrderItems: { rate: 0.5, burst: 30 },
  getOrder: { rate: 0.5, burst: 30 },
  searchOrders: { rate: 0.0056, burst: 20 },
  /** Messaging API: every message operation has the same plan. */
  createDigitalAccessKey: { rate: 1, burst: 5 },
} as const;

export type AmazonOperation = keyof typeof AMAZON_USAGE_PLANS;
