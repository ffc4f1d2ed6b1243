/** Anything after `/p/` up to the next separator is a secret portal code. */
const PORTAL_SEGMENT = /\/p\/[^/\s?#"'<>]+/g;

/** Removes portal codes from a path, URL, message or stack trace before it is logged. */
export function redactPortalCodes(text: string): string {
  return text.replace(PORTAL_SEGMENT, '/p/[code]');
}
