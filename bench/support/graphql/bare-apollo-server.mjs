// Child process: the baseline. Apollo Server 5 on express 5 through @as-integrations/express5 (the
// stack Handoff's API is built on) answering `{ hello }`, with nothing of ours: no type-graphql
// schema, no auth, no DataLoaders, no limits plugin, no request ids or logging. Apollo's own options
// match Handoff's (CSRF prevention on, no batching, no APQ) so that the ratio prices our code only.
import { createServer } from 'node:http';
import { serveAsChild } from '../child-server.mjs';
import { requireApiDependency } from '../paths.mjs';

// Loaded the way packages/api resolves them, so these are the very versions Handoff runs on.
const { ApolloServer } = requireApiDependency('@apollo/server');
const { ApolloServerPluginDrainHttpServer } = requireApiDependency('@apollo/server/plugin/drainHttpServer');
const { expressMiddleware } = requireApiDependency('@as-integrations/express5');
const express = requireApiDependency('express');

serveAsChild(async () => {
  const app = express();
  const server = createServer(app);
  const apollo = new ApolloServer({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    persistedQueries: false,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer: server })],
  });
  await apollo.start();
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { info: { url: `http://127.0.0.1:${server.address().port}` }, close: () => apollo.stop() };
});
