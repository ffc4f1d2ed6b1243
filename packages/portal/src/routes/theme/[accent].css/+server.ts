import { error } from '@sveltejs/kit';
import { accentStylesheet, normalizeHex } from '$lib/theme/accent';
import type { RequestHandler } from './$types';

/**
 * The merchant's accent as a stylesheet: the strict CSP allows no inline styles, and the colour is
 * all the URL carries, so the answer can be cached for good.
 */
export const GET: RequestHandler = ({ params }) => {
  const hex = normalizeHex(params.accent);
  if (!hex || hex !== params.accent) error(404, 'Not found');
  return new Response(accentStylesheet(hex), {
    headers: {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
    },
  });
};
