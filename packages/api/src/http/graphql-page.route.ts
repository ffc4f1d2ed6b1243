import { Router } from 'express';

/**
 * GET /graphql from a browser: a small page of our own saying how to query the API. Apollo's landing
 * page loads its sandbox from a CDN, which is a blank page offline (it is disabled in apollo.ts).
 */
export function graphqlPageRoute(publicUrl: string): Router {
  const router = Router();
  router.get('/graphql', (req, res, next) => {
    if (req.query.query !== undefined || req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    res
      .status(200)
      .type('html')
      .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(page(`${publicUrl.replace(/\/$/, '')}/graphql`));
  });
  return router;
}

function page(endpoint: string): string {
  const url = endpoint.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Handoff GraphQL API</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem}pre{background:#f4f4f5;padding:1rem;overflow:auto}</style>
</head>
<body>
<h1>Handoff GraphQL API</h1>
<p>This endpoint answers GraphQL over HTTP <code>POST</code> with a JSON body and an API key
(<code>pnpm handoff create-api-key --merchant &lt;id&gt;</code>; <code>pnpm start</code> prints the demo key).</p>
<pre>curl -s ${url} \\
  -H 'content-type: application/json' \\
  -H 'authorization: Bearer hk_…' \\
  -d '{"query":"{ viewer { name } orders(first: 5) { edges { node { number status } } } }"}'</pre>
<p>Any GraphQL client works the same way: point it at <code>${url}</code> and send the key as a bearer token.</p>
</body>
</html>
`;
}
