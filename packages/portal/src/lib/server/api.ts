import { portalConfig } from './config.js';
import { createGraphqlClient, type GraphqlClient } from './graphql.js';
import { clientHeaders, createPortalApi, type PortalApi } from './portal-api.js';

/** The GraphQL client for the Handoff API, authenticated with the portal's key. */
export function handoffApi(
  fetch: typeof globalThis.fetch = globalThis.fetch,
  headers: Record<string, string> = {},
): GraphqlClient {
  const { apiUrl, portalToken } = portalConfig();
  return createGraphqlClient({ url: apiUrl, token: portalToken, fetch, headers });
}

/** The portal fields of the API on behalf of the buyer who made this request. */
export function portalApiFor(event: { getClientAddress(): string; request: Request }): PortalApi {
  const headers = clientHeaders(event.getClientAddress(), event.request.headers.get('user-agent'));
  return createPortalApi(handoffApi(globalThis.fetch, headers));
}
