import { portalApiFor } from '$lib/server/api';
import { requestNewLink } from '$lib/server/portal-page';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => requestNewLink(portalApiFor(event), await event.request.formData()),
};
