import type { TokenSession } from '../common/token-session.js';
import type { ChannelHttp, ChannelHttpResponse } from '../http/channel-http.js';
import { AMAZON_USAGE_PLANS, TokenBucket, type AmazonOperation } from './amazon-rate-limiter.js';

/** Authorised, rate-limited GETs against the SP-API endpoint, one token bucket per operation. */
export class AmazonClient {
  private readonly buckets: Record<AmazonOperation, TokenBucket>;

  constructor(
    private readonly http: ChannelHttp,
    private readonly auth: TokenSession,
    private readonly baseUrl: string,
    now: () => number,
    sleep: (ms: number) => Promise<void>,
  ) {
    const bucket = (op: AmazonOperation) =>
      new TokenBucket(AMAZON_USAGE_PLANS[op].rate, AMAZON_USAGE_PLANS[op].burst, now, sleep);
    this.buckets = {
      getOrders: bucket('getOrders'),
      getOrderItems: bucket('getOrderItems'),
      searchOrders: bucket('searchOrders'),
    };
  }

  async get<T>(operation: AmazonOperation, path: string, query: URLSearchParams): Promise<T> {
    const bucket = this.buckets[operation];
    await bucket.take();
    const response = await this.auth.authorized((token) =>
      this.http.request<T>(`${this.baseUrl}${path}?${query.toString()}`, {
        headers: { 'x-amz-access-token': token, accept: 'application/json' },
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
