import {
  startFakeHttpServer,
  type FakeFault,
  type FakeResponse,
  type RecordedRequest,
} from '../../http/testing/fake-http-server.js';
import type { EtsyReceipt } from '../etsy-types.js';
import { ETSY_SHOP_ID } from './fixtures.js';

export interface FakeEtsyOptions {
  receipts?: EtsyReceipt[];
  shopId?: number;
  keystring?: string;
  refreshToken?: string;
  /** An access token accepted from the start. */
  accessToken?: string;
  limitPerSecond?: number;
  limitPerDay?: number;
  /** The fake's clock for the per-second window; tests share theirs with the connector. */
  now?: () => number;
}

export type FakeEtsyFault = Omit<FakeFault, 'status'>;

export interface FakeEtsy {
  url: string;
  shopId: number;
  requests: RecordedRequest[];
  receiptRequests(): RecordedRequest[];
  /** Serves `status` instead of the next answer; a 429 without rate-limit headers, as Etsy does. */
  failNext(status: number, fault?: FakeEtsyFault): void;
  /** Every access token issued so far answers 401 from now on. */
  expireTokens(): void;
  setReceipts(receipts: EtsyReceipt[]): void;
  upsertReceipts(receipts: EtsyReceipt[]): void;
  readonly receipts: readonly EtsyReceipt[];
  readonly issuedTokens: readonly string[];
  /** The refresh token currently valid (Etsy rotates it on every refresh). */
  readonly refreshToken: string;
  /** 429s the fake answered because the connector outran the limits. */
  readonly throttled: number;
  close(): Promise<void>;
}

const etsyError = (status: number, error: string, extra: Record<string, string> = {}): FakeResponse => ({
  status,
  body: { error, ...extra },
});

function intParam(query: URLSearchParams, name: string, fallback: number): number | null {
  const raw = query.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

export async function startFakeEtsy(options: FakeEtsyOptions = {}): Promise<FakeEtsy> {
  const shopId = options.shopId ?? ETSY_SHOP_ID;
  const keystring = options.keystring ?? 'etsy-keystring';
  const now = options.now ?? (() => Date.now());
  const limitPerSecond = options.limitPerSecond ?? 10;
  const limitPerDay = options.limitPerDay ?? 10_000;
  let refreshToken = options.refreshToken ?? 'etsy-refresh-token';
  let receipts = [...(options.receipts ?? [])];
  const validTokens = new Set<string>(options.accessToken ? [options.accessToken] : []);
  const issuedTokens: string[] = [];
  let windowSecond = -1;
  let usedThisSecond = 0;
  let usedToday = 0;
  let throttled = 0;

  function token(request: RecordedRequest): FakeResponse {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'refresh_token') return etsyError(400, 'unsupported_grant_type');
    if (form.get('client_id') !== keystring)
      return etsyError(400, 'invalid_client', { error_description: 'unknown client_id' });
    if (form.get('refresh_token') !== refreshToken)
      return etsyError(400, 'invalid_grant', { error_description: 'refresh token is invalid or expired' });
    const n = issuedTokens.length + 1;
    const accessToken = `22220000.fake-access-${n}`;
    refreshToken = `22220000.fake-refresh-${n}`;
    issuedTokens.push(accessToken);
    validTokens.add(accessToken);
    return {
      status: 200,
      body: { access_token: accessToken, token_type: 'Bearer', expires_in: 3600, refresh_token: refreshToken },
    };
  }

  /** Counts the call against the limits; null when it may proceed, a 429 (without headers) when not. */
  function spend(): FakeResponse | null {
    const second = Math.floor(now() / 1000);
    if (second !== windowSecond) {
      windowSecond = second;
      usedThisSecond = 0;
    }
    if (usedThisSecond >= limitPerSecond || usedToday >= limitPerDay) {
      throttled++;
      return etsyError(429, 'You have exceeded your quota');
    }
    usedThisSecond++;
    usedToday++;
    return null;
  }

  function limitHeaders(): Record<string, string> {
    return {
      'x-limit-per-second': String(limitPerSecond),
      'x-remaining-this-second': String(limitPerSecond - usedThisSecond),
      'x-limit-per-day': String(limitPerDay),
      'x-remaining-today': String(limitPerDay - usedToday),
    };
  }

  function listReceipts(request: RecordedRequest, pathShopId: string): FakeResponse {
    const apiKey = String(request.headers['x-api-key'] ?? '');
    if (apiKey.split(':')[0] !== keystring) return etsyError(403, 'Invalid API key');
    const auth = request.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !validTokens.has(auth.slice(7))) {
      return etsyError(401, 'invalid_token', { error_description: 'access token is expired or invalid' });
    }
    const throttledResponse = spend();
    if (throttledResponse) return throttledResponse;
    const headers = limitHeaders();
    if (pathShopId !== String(shopId)) return { ...etsyError(404, `Shop ${pathShopId} not found`), headers };

    const q = request.query;
    const limit = intParam(q, 'limit', 25);
    const offset = intParam(q, 'offset', 0);
    if (limit === null || limit < 1 || limit > 100)
      return { ...etsyError(400, 'Expected int <= 100 for limit'), headers };
    if (offset === null) return { ...etsyError(400, 'Expected int for offset'), headers };
    const bounds: Array<[string, keyof EtsyReceipt, 'min' | 'max']> = [
      ['min_created', 'created_timestamp', 'min'],
      ['max_created', 'created_timestamp', 'max'],
      ['min_last_modified', 'updated_timestamp', 'min'],
      ['max_last_modified', 'updated_timestamp', 'max'],
    ];
    let selected = receipts;
    for (const [param, field, kind] of bounds) {
      const value = intParam(q, param, -1);
      if (value === null || (value !== -1 && value < 946_684_800)) {
        return { ...etsyError(400, `Expected int >= 946684800 for ${param}`), headers };
      }
      if (value === -1) continue;
      selected = selected.filter((r) =>
        kind === 'min' ? (r[field] as number) >= value : (r[field] as number) <= value,
      );
    }
    for (const [param, field] of [
      ['was_paid', 'is_paid'],
      ['was_shipped', 'is_shipped'],
    ] as const) {
      const value = q.get(param);
      if (value !== null) selected = selected.filter((r) => r[field] === (value === 'true'));
    }
    const sortOn = q.get('sort_on') ?? 'created';
    const sortKey = { created: 'created_timestamp', updated: 'updated_timestamp', receipt_id: 'receipt_id' }[sortOn];
    if (!sortKey) return { ...etsyError(400, `Invalid sort_on ${sortOn}`), headers };
    const direction = (q.get('sort_order') ?? 'desc') === 'asc' ? 1 : -1;
    selected = [...selected].sort(
      (a, b) => direction * ((a[sortKey] as number) - (b[sortKey] as number) || a.receipt_id - b.receipt_id),
    );
    return { status: 200, headers, body: { count: selected.length, results: selected.slice(offset, offset + limit) } };
  }

  const receiptsPath = /^\/v3\/application\/shops\/([^/]+)\/receipts$/;
  const server = await startFakeHttpServer((request) => {
    if (request.method === 'POST' && request.path === '/v3/public/oauth/token') return token(request);
    const match = receiptsPath.exec(request.path);
    if (request.method === 'GET' && match) return listReceipts(request, match[1]!);
    return etsyError(404, `No route for ${request.method} ${request.path}`);
  });

  return {
    url: server.url,
    shopId,
    requests: server.requests,
    receiptRequests: () => server.requests.filter((r) => receiptsPath.test(r.path)),
    failNext(status, fault = {}) {
      server.failNext({
        status,
        body: { error: status === 429 ? 'You have exceeded your quota' : `Fault ${status}` },
        ...fault,
      });
    },
    expireTokens() {
      validTokens.clear();
    },
    setReceipts(next) {
      receipts = [...next];
    },
    upsertReceipts(changed) {
      for (const receipt of changed) {
        const at = receipts.findIndex((r) => r.receipt_id === receipt.receipt_id);
        if (at >= 0) receipts[at] = receipt;
        else receipts.push(receipt);
      }
    },
    get receipts() {
      return receipts;
    },
    get issuedTokens() {
      return issuedTokens;
    },
    get refreshToken() {
      return refreshToken;
    },
    get throttled() {
      return throttled;
    },
    close: () => server.close(),
  };
}
