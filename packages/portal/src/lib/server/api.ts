import { portalConfig } from './config.js';
import { createGraphqlClient, type GraphqlClient } from './graphql.js';

/** The GraphQL client for the Handoff API, authenticated with the portal's key. */
export function handoffApi(fetch: typeof globalThis.fetch = globalThis.fetch): GraphqlClient {
  const { apiUrl, portalToken } = portalConfig();
  return createGraphqlClient({ url: apiUrl, token: portalToken, fetch });
}
