/** One error entry of a GraphQL response, as far as the portal reads it. */
export interface GraphqlErrorEntry {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: unknown; [key: string]: unknown };
}

/** Codes the client itself assigns when no GraphQL error came back. */
export type TransportErrorCode = 'NETWORK_ERROR' | 'TIMEOUT' | 'HTTP_ERROR' | 'BAD_RESPONSE';

/**
 * A failed GraphQL request. `code` is the first error's `extensions.code` when the API sent
 * one, else a transport code. Messages never contain the query's variables.
 */
export class GraphqlError extends Error {
  override readonly name = 'GraphqlError';
  constructor(
    message: string,
    readonly code: string,
    /** HTTP status of the response, 0 when none arrived. */
    readonly status: number,
    readonly errors: readonly GraphqlErrorEntry[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface GraphqlClientOptions {
  url: string;
  /** API key sent as `Authorization: Bearer <token>`. */
  token?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  /** Extra headers sent with every request (e.g. the buyer's IP and user agent for the portal token). */
  headers?: Record<string, string>;
}

export interface GraphqlClient {
  request<TData, TVariables extends Record<string, unknown> = Record<string, never>>(
    query: string,
    variables?: TVariables,
    options?: { signal?: AbortSignal },
  ): Promise<TData>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** A minimal server-side GraphQL client: POST JSON, throw `GraphqlError` on any error. */
export function createGraphqlClient(options: GraphqlClientOptions): GraphqlClient {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    // The API runs Apollo's CSRF prevention; this header marks the request as non-simple.
    'apollo-require-preflight': 'true',
    ...options.headers,
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  return {
    async request<TData, TVariables extends Record<string, unknown>>(
      query: string,
      variables?: TVariables,
      requestOptions?: { signal?: AbortSignal },
    ): Promise<TData> {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = requestOptions?.signal ? AbortSignal.any([requestOptions.signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await doFetch(options.url, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query, variables: variables ?? {} }),
          signal,
        });
      } catch (error) {
        if (timeout.aborted) {
          throw new GraphqlError(`The API did not answer within ${timeoutMs} ms`, 'TIMEOUT', 0, [], { cause: error });
        }
        throw new GraphqlError('The API is unreachable', 'NETWORK_ERROR', 0, [], { cause: error });
      }
      const body = await readJson(response);
      const errors = body && Array.isArray(body.errors) ? body.errors.filter(isErrorEntry) : [];
      const first = errors[0];
      if (first) {
        const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN';
        throw new GraphqlError(first.message, code, response.status, errors);
      }
      if (!response.ok) {
        throw new GraphqlError(`The API answered HTTP ${response.status}`, 'HTTP_ERROR', response.status);
      }
      if (!body || typeof body.data !== 'object' || body.data === null) {
        throw new GraphqlError('The API answered without data', 'BAD_RESPONSE', response.status);
      }
      return body.data as TData;
    },
  };
}

async function readJson(response: Response): Promise<{ data?: unknown; errors?: unknown } | null> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? body : null;
  } catch {
    return null;
  }
}

function isErrorEntry(value: unknown): value is GraphqlErrorEntry {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}
