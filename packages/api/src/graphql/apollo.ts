import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Server } from 'node:http';
import { authStatusPlugin } from './auth-status-plugin.js';
import { errorLoggingPlugin } from './error-logging-plugin.js';
import { createFormatError } from './format-error.js';
import { inputTextPlugin } from './input-text.js';
import { limitsPlugin, type QueryLimits } from './limits-plugin.js';
import type { RequestContext } from './request-context.js';
import { getSchema } from './schema.js';

export interface ApolloOptions {
  httpServer: Server;
  limits: QueryLimits;
  introspection: boolean;
}

export async function createApolloServer(options: ApolloOptions): Promise<ApolloServer<RequestContext>> {
  const server = new ApolloServer<RequestContext>({
    schema: await getSchema(),
    introspection: options.introspection,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    // APQ is a cache, not an allow-list, and we have no use for it.
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (drain, close the ORM, exit); Apollo must not race it on SIGTERM.
    stopOnTerminationSignals: false,
    // No schema hints ("Did you mean …") where the schema itself is not public.
    formatError: createFormatError({ hideSuggestions: !options.introspection }),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }),
      // Its landing page loads from a CDN (blank offline); http/graphql-page.route.ts serves ours.
      ApolloServerPluginLandingPageDisabled(),
      inputTextPlugin<RequestContext>(),
      limitsPlugin<RequestContext>(options.limits),
      errorLoggingPlugin,
      authStatusPlugin,
    ],
  });
  await server.start();
  return server;
}
