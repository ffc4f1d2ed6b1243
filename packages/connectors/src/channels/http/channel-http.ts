import { createGuardedFetch } from '../../net/guarded-fetch.js';
import { OutboundRefusedError, STRICT_OUTBOUND, type OutboundPolicy } from '../../net/outbound-policy.js';
import { ChannelError } from '../channel-connector.js';
import { extractErrorMessage } from './error-message.js';
import { backoffDelay, parseRetryAfter } from './retry-after.js';

export interface ChannelHttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON (null for an empty body) or text, as asked with `parse`. */
  body: T;
}

/** Milliseconds to wait, or null for "no opinion". */
export type DelayHook = (response: ChannelHttpResponse) => number | null;

export interface ChannelHttpOptions {
  /** Test seam: replaces the network call; the outbound checks still run. */
  fetch?: typeof fetch;
  /** Where requests may go (the merchant names the hosts); default strict. */
  outbound?: OutboundPolicy;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  maxRetries?: number;
  baseDelayMs?: number;
  /** Upper bound for one backoff step; a Retry-After above it ends the call with ChannelRateLimitError. */
  maxDelayMs?: number;
  /** Per-attempt timeout; a timeout counts as a network error and is retried. */
  timeoutMs?: number;
  /** 0..1; tests pin it to make jitter deterministic. */
  random?: () => number;
  /**
   * Read call-limit headers (Shopify `X-Shopify-Shop-Api-Call-Limit`, Etsy `x-remaining-this-second`).
   * On a successful response a positive value delays the NEXT request; on a 429/5xx it replaces the
   * backoff when the response has no Retry-After.
   */
  throttleDelay?: DelayHook;
  /**
   * For providers that report throttling inside a 200 (Shopify GraphQL `THROTTLED`): a number means
   * "wait this long and send the same request again" (counted against maxRetries).
   */
  retryDelay?: DelayHook;
}

export interface ChannelHttpRequestInit extends RequestInit {
  /** How to read the body; default 'json' (an empty body gives null). */
  parse?: 'json' | 'text';
  /** Per-request override of the client's hooks. */
  throttleDelay?: DelayHook;
  retryDelay?: DelayHook;
  /**
   * `throttled`: only a 429 (not acted on) is sent again. For requests that are not idempotent: a
   * 5xx, a timeout or a lost connection may have been acted on, so they fail at once (retryable)
   * and the caller decides whether to send again.
   */
  retry?: 'all' | 'throttled';
}

export interface ChannelHttp {
  request<T = unknown>(url: string, init?: ChannelHttpRequestInit): Promise<ChannelHttpResponse<T>>;
}

/** A 429 whose Retry-After is longer than this client will wait: the sync engine should reschedule. */
export class ChannelRateLimitError extends ChannelError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message, 429, true);
    this.name = 'ChannelRateLimitError';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The guard's refusal behind a failed fetch (undici wraps a refused DNS answer as the cause). */
function refusal(error: unknown): OutboundRefusedError | null {
  if (error instanceof OutboundRefusedError) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause instanceof OutboundRefusedError ? cause : null;
}

/** Strips the query string: WooCommerce may carry keys there, and messages end up in logs. */
function describe(method: string, url: string): string {
  const u = new URL(url);
  return `${method} ${u.origin}${u.pathname}`;
}

export function createChannelHttp(options: ChannelHttpOptions = {}): ChannelHttp {
  // Every request goes through the guarded client: the merchant chooses the hosts.
  const doFetch = createGuardedFetch(options.outbound ?? STRICT_OUTBOUND, options.fetch);
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => new Date());
  const maxRetries = options.maxRetries ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const random = options.random ?? Math.random;
  // Delay owed to the provider's call-limit header, paid before the next request goes out.
  let owedDelayMs = 0;

  async function readBody(response: Response, parse: 'json' | 'text'): Promise<unknown> {
    const text = await response.text();
    if (parse === 'text') return text;
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text);
    } catch {
      return text; // error pages from proxies are HTML; keep them for the message
    }
  }

  async function request<T>(url: string, init: ChannelHttpRequestInit = {}): Promise<ChannelHttpResponse<T>> {
    const {
      parse = 'json',
      throttleDelay = options.throttleDelay,
      retryDelay = options.retryDelay,
      retry = 'all',
      ...fetchInit
    } = init;
    const method = (fetchInit.method ?? 'GET').toUpperCase();
    const what = describe(method, url);
    let lastProblem = '';
    let lastStatus: number | null = null;

    let attempt = 0;
    for (; ; attempt++) {
      if (owedDelayMs > 0) {
        const wait = owedDelayMs;
        owedDelayMs = 0;
        await sleep(wait);
      }

      let response: Response;
      try {
        response = await doFetch(url, { ...fetchInit, signal: fetchInit.signal ?? AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const refused = refusal(error);
        if (refused) throw new ChannelError(`${what}: refused: ${refused.message}`, null, false);
        lastProblem = `network error: ${(error as Error).message}`;
        lastStatus = null;
        if (attempt >= maxRetries || retry === 'throttled') break;
        await sleep(backoffDelay(attempt, baseDelayMs, maxDelayMs, random));
        continue;
      }

      const body = await readBody(response, parse);
      const result: ChannelHttpResponse = { status: response.status, headers: response.headers, body };

      if (response.status === 429 || response.status >= 500) {
        lastProblem = `HTTP ${response.status}${messageSuffix(body)}`;
        lastStatus = response.status;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
        if (retryAfter !== null && retryAfter > maxDelayMs) {
          throw new ChannelRateLimitError(`${what}: rate limited, retry after ${retryAfter} ms`, retryAfter);
        }
        if (attempt >= maxRetries || (retry === 'throttled' && response.status !== 429)) break;
        const wait = retryAfter ?? throttleDelay?.(result) ?? backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
        await sleep(Math.min(wait, maxDelayMs));
        continue;
      }

      if (response.status === 401 || response.status === 403) {
        throw new ChannelError(`${what}: HTTP ${response.status}${messageSuffix(body)}`, response.status, false);
      }
      if (response.status >= 400) {
        const message = extractErrorMessage(body) ?? response.statusText ?? 'request failed';
        throw new ChannelError(`${what}: HTTP ${response.status}: ${message}`, response.status, false);
      }

      const again = retryDelay?.(result);
      if (again !== null && again !== undefined) {
        lastProblem = 'throttled';
        lastStatus = response.status;
        if (attempt >= maxRetries) break;
        await sleep(Math.min(Math.max(0, again), maxDelayMs));
        continue;
      }

      const pace = throttleDelay?.(result);
      if (pace !== null && pace !== undefined && pace > 0) owedDelayMs = Math.min(pace, maxDelayMs);
      return result as ChannelHttpResponse<T>;
    }

    throw new ChannelError(`${what}: gave up after ${attempt + 1} attempt(s) (${lastProblem})`, lastStatus, true);
  }

  return { request };
}

function messageSuffix(body: unknown): string {
  const message = extractErrorMessage(body);
  return message ? `: ${message}` : '';
}
