import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { chooseLanguage, explicitLanguage, LANGUAGE_COOKIE } from '$lib/i18n';
import { securityHeadersFor, withHeaders } from '$lib/security/headers';
import { isForgedFormPost } from '$lib/security/csrf';
import { redactPortalCodes } from '$lib/security/redact';
import { portalConfig } from '$lib/server/config';

/** Validate the configuration at startup: a bad value stops the process, naming the variable. */
export const init: ServerInit = () => {
  portalConfig();
};

const ONE_YEAR = 60 * 60 * 24 * 365;

export const handle: Handle = async ({ event, resolve }) => {
  if (isForgedFormPost(event.request)) {
    return withHeaders(new Response('Cross-site form submissions are forbidden', { status: 403 }), {
      ...securityHeadersFor(event.url.pathname),
      'content-type': 'text/plain; charset=utf-8',
    });
  }
  const query = explicitLanguage(event.url.searchParams.get('lang'));
  if (query) {
    // The switcher's choice is remembered for the buyer's next visits.
    event.cookies.set(LANGUAGE_COOKIE, query, { path: '/', maxAge: ONE_YEAR, sameSite: 'lax', httpOnly: true });
  }
  const cookie = event.cookies.get(LANGUAGE_COOKIE);
  event.locals.langChosen = Boolean(query ?? explicitLanguage(cookie));
  event.locals.lang = chooseLanguage({
    query,
    cookie,
    acceptLanguage: event.request.headers.get('accept-language'),
  });
  // Read when the page is written, so a load that learned the order's language has its say.
  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%handoff.lang%', event.locals.lang),
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
