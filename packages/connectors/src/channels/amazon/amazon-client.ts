import type { TokenSession } from '../common/token-session.js';
import type { ChannelHttp, ChannelHttpResponse } from '../http/channel-http.js';
import { AMAZON_USAGE_PLANS, TokenBucket, type AmazonOperation } from './amazon-rate-limiter.js';

/** Authorised, rate-limited calls against the SP-API endpoint, one token bucket per operation. */
export class AmazonClient {
  private readonly buckets: Record<AmazonOperation, TokenBucket>;

  constructor(
    private readonly http: ChannelHttp,
    private readonly auth: TokenSession,
    private readonly baseUrl: string,
    now: () => number,
    sleep: (ms: number) => Promise<void>,
  ) {
    this.buckets = Object.fromEntries(
      Object.entries(AMAZON_USAGE_PLANS).map(([op, plan]) => [op, new TokenBucket(plan.rate, plan.burst, now, sleep)]),
    ) as Record<AmazonOperation, TokenBucket>;
  }

  get<T>(operation: AmazonOperation, path: string, query: URLSearchParams): Promise<T> {
    return this.send<T>(operation, 'GET', path, query);
  }

  /** A JSON body; Amazon answers 201 with `{}` (or nothing) for the messaging operations. */
  post<T>(operation: AmazonOperation, path: string, query: URLSearchParams, body: unknown): Promise<T> {
    return this.send<T>(operation, 'POST', path, query, body);
  }

  private async send<T>(
    operation: AmazonOperation,
    method: 'GET' | 'POST',
    path: string,
    query: URLSearchParams,
    body?: unknown,
  ): Promise<T> {
    const bucket = this.buckets[operation];
    await bucket.take();
    const search = query.toString();
    const url = `${this.baseUrl}${path}${search ? `?${search}` : ''}`;
    const response = await this.auth.authorized((token) =>
      this.http.request<T>(url, {
        method,
        headers: {
          'x-amz-access-token': token,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // A message Amazon may have taken is not sent again blindly (it has no idempotency key):
        // the outbox retries it with backoff, and its attempts show on the order.
        ...(method === 'POST' ? { retry: 'throttled' as const } : {}),
        // A 429 carries no Retry-After: wait one restore interval of the operation (its header, when sent).
        throttleDelay: (r: ChannelHttpResponse) => {
          bucket.observe(r.headers);
          if (r.status !== 429) return null;
          bucket.empty();
          return bucket.intervalMs;
        },
      }),
    );
    return response.body;
  }
}
