// Child process: the real Handoff API app (assembled like packages/api/src/testing/test-api.ts) on the
// database named by BENCH_DATABASE_URL, with a merchant, an API key and BENCH_ORDERS seeded orders.
// Before serving the load it counts the SQL statements of one orders page at two page sizes, on a
// separate app whose ORM has the onQuery hook; the app under load has no hook (logging every
// statement would slow down exactly what is being measured).
import { serveAsChild } from '../child-server.mjs';
import { startHandoffApp } from '../handoff-app.mjs';
import { apiDist, sharedDist } from '../paths.mjs';

const PAGE_QUERY = `query OrdersPage($first: Int!) {
  orders(first: $first) {
    edges { node { id number items { sku product { name } } events { type } channel { name } } }
  }
}`;

const { MERCHANT_SCOPES } = await sharedDist();
const { seedOrders } = await apiDist('testing/order-factory');
const NODE_ENV = process.env.NODE_ENV ?? 'production';

/** The full HTTP app on a random loopback port (ormOverrides: e.g. the statement-counting hook). */
const startApp = (databaseUrl, ormOverrides) => startHandoffApp(databaseUrl, { env: { NODE_ENV }, ormOverrides });

async function gql(url, apiKey, query, variables) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (res.status !== 200 || body.errors)
    throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body)}`);
  return body.data;
}

/** Seeds the database and counts the statements of one orders page for each size. */
async function seedAndCount(databaseUrl, orderCount, pageSizes) {
  const queries = [];
  const app = await startApp(databaseUrl, { onQuery: (sql) => queries.push(sql) });
  try {
    const em = app.orm.em.fork();
    const merchant = await app.services.merchants.create(em, {
      name: 'Bench merchant',
      contactEmail: 'shop@example.com',
    });
    const { secret } = await app.services.apiKeys.create(em, merchant.id, 'bench', MERCHANT_SCOPES);
    await seedOrders(app.orm.em.fork(), merchant.id, orderCount);
    /** @type {Record<number, number>} */
    const statements = {};
    for (const first of pageSizes) {
      // One authenticated request first, so the key's lastUsedAt refresh isn't counted against a page.
      await gql(app.url, secret, '{ viewer { name } }');
      queries.length = 0;
      const data = await gql(app.url, secret, PAGE_QUERY, { first });
      statements[first] = queries.length;
      if (data.orders.edges.length !== first)
        throw new Error(`orders(first: ${first}) returned ${data.orders.edges.length} edges`);
    }
    return { apiKey: secret, statements };
  } finally {
    await app.close();
  }
}

serveAsChild(async () => {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set');
  const orderCount = Number(process.env.BENCH_ORDERS ?? 50);
  const pageSizes = (process.env.BENCH_PAGE_SIZES ?? '10,50').split(',').map(Number);
  const { apiKey, statements } = await seedAndCount(databaseUrl, orderCount, pageSizes);
  const app = await startApp(databaseUrl);
  return { info: { url: app.url, apiKey, statements }, close: app.close };
});
