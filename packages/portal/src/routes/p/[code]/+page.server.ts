import { error } from '@sveltejs/kit';
import { messagesFor, pickLanguage } from '$lib/i18n';
import { isPortalCodeShape } from '$lib/portal-code';
import { portalApiFor } from '$lib/server/api';
import { acceptWaiver, contactSeller, loadView, noticeOf } from '$lib/server/portal-page';
import { normalizeHex } from '$lib/theme/accent';
import type { Actions, PageServerLoad } from './$types';

function codeOf(params: { code: string }): string {
  // A malformed code never reaches the API; the page says no more than for an unknown code.
  if (!isPortalCodeShape(params.code)) error(404, 'This link is not valid');
  return params.code;
}

export const load: PageServerLoad = async (event) => {
  const code = codeOf(event.params);
  const view = await loadView(portalApiFor(event), code, event.setHeaders);
  const { locals } = event;
  if (!locals.langChosen) locals.lang = pickLanguage(view.language, event.request.headers.get('accept-language'));
  return {
    lang: locals.lang,
    messages: messagesFor(locals.lang),
    brand: { name: view.merchant.name, logoUrl: view.merchant.logoUrl },
    accent: normalizeHex(view.merchant.accentColor),
    notice: noticeOf(event.url.searchParams.get('notice')),
    view,
  };
};

export const actions: Actions = {
  contact: async (event) => contactSeller(portalApiFor(event), codeOf(event.params), await event.request.formData()),
  waiver: async (event) => acceptWaiver(portalApiFor(event), codeOf(event.params), await event.request.formData()),
};
