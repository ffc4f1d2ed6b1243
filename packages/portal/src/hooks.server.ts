import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { pickLanguage } from '$lib/i18n';
import { securityHeadersFor, withHeaders } from '$lib/security/headers';
import { redactPortalCodes } from '$lib/security/redact';
import { portalConfig } from '$lib/server/config';

/** Validate the configuration at startup: a bad value stops the process, naming the variable. */
export const init: ServerInit = () => {
  portalConfig();
};

export const handle: Handle = async ({ event, resolve }) => {
  // The order's own language joins in once the portal loads orders from the API.
  const lang = pickLanguage(null, event.request.headers.get('accept-language'));
  event.locals.lang = lang;
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%handoff.lang%', lang),
  });
  const secured = withHeaders(response, securityHeadersFor(event.url.pathname));
  secured.headers.append('vary', 'Accept-Language');
  return secured;
};

/**
 * Kit's default logs `[status] METHOD /path`, which would write portal codes to the log.
 * Not-found is routine and not logged; anything else is logged with codes redacted.
 */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  if (status !== 404) {
    const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    console.error(redactPortalCodes(`[${status}] ${event.request.method} ${event.url.pathname}\n${detail}`));
  }
  return { message };
};
