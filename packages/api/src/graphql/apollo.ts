import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Server } from 'node:http';
import { authStatusPlugin } from './auth-status-plugin.js';
import { errorLoggingPlugin } from './error-logging-plugin.js';
import { formatError } from './format-error.js';
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
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: options.httpServer }),
      // Its landing page loads from a CDN (blank offline); http/graphql-page.route.ts serves ours.
      ApolloServerPluginLandingPageDisabled(),
      limitsPlugin<RequestContext>(options.limits),
      errorLoggingPlugin,
      authStatusPlugin,
    ],
  });
  await server.start();
  return server;
}
