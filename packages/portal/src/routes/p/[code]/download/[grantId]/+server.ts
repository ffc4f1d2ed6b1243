import { error, redirect } from '@sveltejs/kit';
import { isPortalCodeShape } from '$lib/portal-code';
import { portalApiFor } from '$lib/server/api';
import { downloadLocation } from '$lib/server/portal-page';
import type { RequestHandler } from './$types';

const GRANT_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * A download button is a plain link here, so it works without JavaScript: each click mints a fresh,
 * short-lived token through the API and answers 303 to it (or back to the page with a notice).
 */
export const GET: RequestHandler = async (event) => {
  const { code, grantId } = event.params;
  if (!isPortalCodeShape(code) || !GRANT_ID.test(grantId)) error(404, 'This link is not valid');
  redirect(303, await downloadLocation(portalApiFor(event), code, grantId));
};
