export interface PortalConfig {
  /** The Handoff GraphQL endpoint the portal server talks to. */
  apiUrl: string;
  /** The API key the portal server sends as `Authorization: Bearer …`; unset means anonymous. */
  portalToken: string | undefined;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:4000/graphql';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
  }
}

/** Reads and validates the portal's environment; a bad value throws naming the variable (never its value). */
export function parsePortalConfig(env: Record<string, string | undefined>): PortalConfig {
  const apiUrl = env.HANDOFF_API_URL?.trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new ConfigError('HANDOFF_API_URL', 'must be an absolute http(s) URL, e.g. http://127.0.0.1:4000/graphql');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('HANDOFF_API_URL', 'must use http: or https:');
  }
  if (url.username || url.password) {
    throw new ConfigError('HANDOFF_API_URL', 'must not carry credentials; use HANDOFF_PORTAL_TOKEN');
  }
  const token = env.HANDOFF_PORTAL_TOKEN?.trim();
  if (token && /\s/.test(token)) {
    throw new ConfigError('HANDOFF_PORTAL_TOKEN', 'must not contain whitespace');
  }
  return { apiUrl: url.href, portalToken: token || undefined };
}
