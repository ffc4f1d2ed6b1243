/** API-key scopes. A key holds a subset; `*:read` never implies write. */
export const SCOPES = [
  'orders:read',
  'orders:write',
  'catalog:read',
  'catalog:write',
  'channels:read',
  'channels:write',
  'downloads:read',
  'downloads:write',
  'rules:read',
  'rules:write',
  'settings:read',
  'settings:write',
  'portal',
] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Everything but `portal`, which is the portal server's own narrow scope. */
export const MERCHANT_SCOPES: Scope[] = SCOPES.filter((s) => s !== 'portal');
