/**
 * The shape of a portal code as it appears in `/p/[code]`: URL-safe base64 without padding,
 * 20 to 64 characters. Passing this check says nothing about whether the code exists.
 */
const PORTAL_CODE = /^[A-Za-z0-9_-]{20,64}$/;

export function isPortalCodeShape(code: string): boolean {
  return PORTAL_CODE.test(code);
}
