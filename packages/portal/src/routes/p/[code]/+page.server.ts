import { error } from '@sveltejs/kit';
import { isPortalCodeShape } from '$lib/portal-code';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params }) => {
  // A malformed code never reaches the API; the page says no more than for an unknown code.
  if (!isPortalCodeShape(params.code)) error(404, 'This link is not valid');
  // The order itself is loaded from the API in a later step; the code is not sent back to the page.
  return {};
};
