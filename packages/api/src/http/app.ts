import { createServer, type Server } from 'node:http';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { ApolloServer } from '@apollo/server';
import type { Config } from '../config.js';
import { createApolloServer } from '../graphql/apollo.js';
import { buildRequestContext, type ContextDeps } from '../graphql/context-factory.js';
import type { RequestContext } from '../graphql/request-context.js';
import type { Logger } from '../logger.js';
import { graphqlPageRoute } from './graphql-page.route.js';
import { healthRoutes } from './health.js';
import { requestId } from './request-id.js';
import { storageOAuthRoutes } from './storage-oauth.route.js';
import { webhookRoutes } from './webhooks.route.js';
import { downloadRoutes } from '../downloads/download.route.js';

export interface HttpApp {
  server: Server;
  apollo: ApolloServer<RequestContext>;
}

/** The API process's HTTP surface: /graphql, /healthz, /readyz (downloads and webhooks join later). */
export async function createHttpApp(deps: ContextDeps, config: Config, log: Logger): Promise<HttpApp> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const server = createServer(app);
  const apollo = await createApolloServer({
    httpServer: server,
    introspection: config.NODE_ENV !== 'production',
    limits: {
      maxDepth: config.GRAPHQL_MAX_DEPTH,
      maxAliases: config.GRAPHQL_MAX_ALIASES,
      maxComplexity: config.GRAPHQL_MAX_COMPLEXITY,
    },
  });

  app.use(requestId(log));
  app.use(healthRoutes(deps.orm));
  app.use(downloadRoutes(deps));
  app.use(storageOAuthRoutes(deps.orm, deps.services));
  app.use(webhookRoutes(deps.orm, deps.services));
  app.use(graphqlPageRoute(config.PUBLIC_URL));
  app.use(
    '/graphql',
    express.json({ limit: '8mb' }), // importOrdersCsv: up to 5 MB of CSV, JSON-escaped
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        buildRequestContext(deps, req.id, req.header('authorization'), req.log, {
          ip: req.ip,
          header: (n) => req.header(n),
        }),
    }),
  );
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such route' } });
  });
  app.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: NextFunction) => {
    const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) req.log.error({ err: error }, 'unhandled HTTP error');
    const message = status === 500 ? 'Unexpected error' : error.message;
    res.status(status).json({ error: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST', message } });
  });
  return { server, apollo };
}
