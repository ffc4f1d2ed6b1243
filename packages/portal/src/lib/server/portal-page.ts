import { error, fail } from '@sveltejs/kit';
import type { ContactForm, NewLinkForm, Notice, WaiverForm } from '../portal/forms.js';
import type { PortalError, PortalView } from '../portal/types.js';
import { GraphqlError } from './graphql.js';
import type { PortalApi } from './portal-api.js';

/**
 * What the `/p/[code]` routes do with the API's answers, apart from SvelteKit's wiring so it can be
 * tested against a fake API. The code is a secret: it goes to the API and into same-origin
 * redirects, never into a message, a log line or page data.
 */

export const MESSAGE_MAX = 5000;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,}$/;

const NOTICES: readonly Notice[] = ['waiver', 'unavailable', 'busy'];

/** `?notice=` of a redirect from a download that could not start; anything else is ignored. */
export function noticeOf(value: string | null): Notice | null {
  return NOTICES.find((n) => n === value) ?? null;
}

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** The generic pages for a code that does not open an order. Throws; never returns. */
export function throwForCode(portalError: PortalError, setHeaders?: (headers: Record<string, string>) => void): never {
  if (portalError.code === 'SUSPENDED') {
    const until = portalError.suspendedUntil;
    const seconds = until ? Math.max(1, Math.ceil((Date.parse(until) - Date.now()) / 1000)) : null;
    if (seconds && Number.isFinite(seconds)) setHeaders?.({ 'retry-after': String(seconds) });
    error(429, { message: 'Access is suspended for a while', suspendedUntil: until });
  }
  error(404, 'This link is not valid');
}

/** The order behind a code, or the invalid-link (404) / suspended (429) page. */
export async function loadView(
  api: PortalApi,
  code: string,
  setHeaders?: (headers: Record<string, string>) => void,
): Promise<PortalView> {
  const result = await api.portal(code);
  if (result.view) return result.view;
  throwForCode(result.error, setHeaders);
}

/** Where a download click goes: the API's short-lived link, or back to the page with a notice. */
export async function downloadLocation(api: PortalApi, code: string, grantId: string): Promise<string> {
  const page = `/p/${code}`;
  const result = await api.downloadLink(code, grantId);
  if (result.url && /^https?:\/\//i.test(result.url)) return result.url;
  switch (result.error?.code) {
    case 'WAIVER_REQUIRED':
      return `${page}?notice=waiver#waiver`;
    case 'RATE_LIMITED':
      return `${page}?notice=busy#files`;
    case 'INVALID_CODE':
    case 'SUSPENDED':
      // The page itself says what is wrong with the link.
      return page;
    default:
      return `${page}?notice=unavailable#files`;
  }
}

const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

/** "Contact the seller": validated here for a fast answer, stored and mailed by the API. */
export async function contactSeller(api: PortalApi, code: string, form: FormData) {
  const message = field(form, 'message').trim();
  const replyTo = field(form, 'replyTo').trim();
  const errors: NonNullable<ContactForm['contact']['errors']> = {};
  if (!message) errors.message = 'messageRequired';
  else if (message.length > MESSAGE_MAX) errors.message = 'messageTooLong';
  if (replyTo && !isEmail(replyTo)) errors.replyTo = 'replyToInvalid';
  const failed = (status: number, errs: typeof errors) =>
    fail(status, { contact: { errors: errs }, message, replyTo } satisfies ContactForm);
  if (errors.message || errors.replyTo) return failed(400, errors);

  const result = await settle(() => api.contactSeller(code, message, replyTo || null));
  if (result.ok) return { contact: { sent: true } } satisfies ContactForm;
  if (result.error?.code === 'INVALID_CODE' || result.error?.code === 'SUSPENDED') throwForCode(result.error);
  if (result.error?.code === 'RATE_LIMITED') return failed(429, { form: 'busy' });
  if (result.error?.code === 'BAD_USER_INPUT') return failed(400, { form: 'failed' });
  return failed(502, { form: 'failed' });
}

/** The withdrawal waiver: only an explicitly ticked box counts as consent. */
export async function acceptWaiver(api: PortalApi, code: string, form: FormData) {
  if (field(form, 'accept') !== 'yes') return fail(400, { waiver: { error: 'required' } } satisfies WaiverForm);
  const result = await settle(() => api.acceptWaiver(code));
  if (result.ok) return { waiver: { accepted: true } } satisfies WaiverForm;
  if (result.error?.code === 'INVALID_CODE' || result.error?.code === 'SUSPENDED') throwForCode(result.error);
  return fail(502, { waiver: { error: 'failed' } } satisfies WaiverForm);
}

/** "Send me a new link": the same answer whether or not an order exists for the address. */
export async function requestNewLink(api: PortalApi, form: FormData) {
  const email = field(form, 'email').trim();
  if (!isEmail(email)) return fail(400, { email, error: 'invalidEmail' } satisfies NewLinkForm);
  const result = await settle(() => api.requestNewLink(email));
  if (result.ok) return { sent: true } satisfies NewLinkForm;
  if (result.error?.code === 'RATE_LIMITED') return fail(429, { email, error: 'busy' } satisfies NewLinkForm);
  if (result.error?.code === 'BAD_USER_INPUT') return fail(400, { email, error: 'invalidEmail' } satisfies NewLinkForm);
  return fail(502, { email, error: 'failed' } satisfies NewLinkForm);
}

/** An action's API call; an unreachable or failing API becomes a form error instead of a 500 page. */
async function settle(call: () => Promise<{ ok: boolean; error: PortalError | null }>) {
  try {
    return await call();
  } catch (e) {
    if (e instanceof GraphqlError) return { ok: false, error: null };
    throw e;
  }
}
