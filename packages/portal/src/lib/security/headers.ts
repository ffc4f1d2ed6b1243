/** Headers every response carries; the CSP itself comes from `kit.csp` in svelte.config.js. */
const EVERYWHERE: Record<string, string> = {
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** Portal pages hold a buyer's secret link and personal data: never cached, never shared. */
const PORTAL: Record<string, string> = {
  ...EVERYWHERE,
  'cache-control': 'private, no-store',
};

export function isPortalPath(pathname: string): boolean {
  return pathname === '/p' || pathname.startsWith('/p/');
}

export function securityHeadersFor(pathname: string): Record<string, string> {
  return isPortalPath(pathname) ? PORTAL : EVERYWHERE;
}

/**
 * Sets headers on a response; responses with immutable headers (for example from `fetch` or
 * `Response.redirect`) are copied first.
 */
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  try {
    for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) copy.headers.set(name, value);
    return copy;
  }
}
