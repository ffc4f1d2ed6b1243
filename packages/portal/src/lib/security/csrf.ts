/**
 * Kit refuses cross-site form posts by comparing `Origin` with the site. Portal pages send
 * `Referrer-Policy: no-referrer`, and under that policy browsers send `Origin: null` on plain
 * (JavaScript-free) form posts, so `null` is a trusted origin in svelte.config.js and this check
 * takes over for it: such a post must come from our own page, which the browser states in
 * `Sec-Fetch-Site` (a header pages cannot set).
 */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export function isForgedFormPost(request: Request): boolean {
  if (!UNSAFE.has(request.method)) return false;
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!FORM_TYPES.includes(type)) return false;
  if (request.headers.get('origin') !== 'null') return false;
  return request.headers.get('sec-fetch-site') !== 'same-origin';
}
