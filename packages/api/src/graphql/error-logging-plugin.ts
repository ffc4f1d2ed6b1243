import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { isExpectedError } from './format-error.js';
import type { RequestContext } from './request-context.js';

/** Logs every unexpected error with the request's id, so a masked response can be traced. */
export const errorLoggingPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          if (isExpectedError(error, error)) continue;
          contextValue.log.error({ err: unwrapResolverError(error), path: error.path }, 'unexpected GraphQL error');
        }
      },
    };
  },
};
