import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from './request-context.js';

/**
 * A request without credentials that reached a field needing them answers 401, as a wrong key does
 * (context-factory), not 200: scripts and proxies read the status before the body.
 */
export const authStatusPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        // The formatted errors: formatError has given our own errors their codes by now.
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        if (contextValue.actor || !errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) return;
        response.http.status = 401;
        response.http.headers.set('www-authenticate', 'Bearer');
      },
    };
  },
};
