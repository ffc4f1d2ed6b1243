import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { checkOutboundUrl, OutboundRefusedError, resolveOutboundHost, type OutboundPolicy } from './outbound-policy.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** Headers that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization', 'x-api-key'];

/**
 * A DNS lookup for sockets that answers only with addresses the policy allows: the address checked
 * is the address connected to, so a host cannot answer "public" to the check and "private" after.
 */
export function guardedLookup(policy: OutboundPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveOutboundHost(hostname, policy).then(
      (addresses) => {
        const wanted = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
        const usable = wanted.length ? wanted : addresses;
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, ''),
    );
  };
}

/**
 * fetch for calls made on a merchant's behalf. Every hop (the first request and each redirect,
 * followed here by hand) is checked by the policy before it is sent: https only, no IP literal or
 * resolved address in a forbidden range, the connection pinned to the checked address.
 * Credentials are dropped when a redirect changes origin. `inner` (tests) replaces the network
 * call; the checks still run, but without pinning.
 */
export function createGuardedFetch(policy: OutboundPolicy, inner?: typeof fetch): typeof fetch {
  const dispatcher = inner ? null : new Agent({ connect: { lookup: guardedLookup(policy) } });
  const send = async (url: string, init: RequestInit): Promise<Response> => {
    if (inner) {
      await resolveOutboundHost(new URL(url).hostname, policy);
      return inner(url, init);
    }
    const response = await undiciFetch(url, { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1]);
    return response as unknown as Response;
  };

  return async function guardedFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    let current = typeof input === 'string' || input instanceof URL ? String(input) : input.url;
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    const headers = new Headers(init.headers);
    for (let hop = 0; ; hop++) {
      const url = checkOutboundUrl(current, policy);
      const response = await send(url.href, { ...init, method, body, headers, redirect: 'manual' });
      const location = response.headers.get('location');
      if (init.redirect === 'manual' || !REDIRECT_STATUSES.has(response.status) || !location) return response;
      await response.body?.cancel();
      if (init.redirect === 'error') throw new TypeError(`redirect refused: ${url.origin}${url.pathname}`);
      if (hop >= MAX_REDIRECTS) throw new OutboundRefusedError('too many redirects');
      const next = new URL(location, url);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('content-length');
      }
      if (next.origin !== url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
      current = next.href;
    }
  } as typeof fetch;
}
