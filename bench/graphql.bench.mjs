// B1 (and B2's statement count) from the research notes: GraphQL throughput of the real Handoff API
// against a bare Apollo Server 5 on express 5 answering `{ hello }`, measured side by side.
import { join } from 'node:path';
import { startChildServer } from './support/child-server.mjs';
import { freshDatabase } from './support/database.mjs';
import { loadSideBySide, round } from './support/load.mjs';
import { benchDir } from './support/paths.mjs';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 3;
const SEGMENT_SECONDS = 4;
const ROUNDS = 2; // A B then B A: 8 s measured per side
const ORDERS = 50;
const PAGE_SIZES = [10, 50];

/** Sends one query and returns the exact response body, which every load request must then repeat. */
async function expectedBody(url, headers, query, check) {
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  const text = await res.text();
  if (res.status !== 200 || !check(JSON.parse(text))) throw new Error(`${url} answered ${res.status}: ${text}`);
  return text;
}

export default {
  name: 'graphql',
  description: `{ viewer { name } } on Handoff vs { hello } on bare Apollo Server 5 + express 5, ${CONNECTIONS} connections`,
  /** @param {import('./support/discover.mjs').BenchContext} ctx */
  async run(ctx) {
    const db = await freshDatabase({ log: ctx.log });
    ctx.defer(db.drop);
    const env = { NODE_ENV: 'production' };
    const handoff = await startChildServer(join(benchDir, 'support', 'graphql', 'handoff-server.mjs'), {
      env: { ...env, BENCH_DATABASE_URL: db.url, BENCH_ORDERS: String(ORDERS), BENCH_PAGE_SIZES: PAGE_SIZES.join(',') },
    });
    ctx.defer(handoff.stop);
    const bare = await startChildServer(join(benchDir, 'support', 'graphql', 'bare-apollo-server.mjs'), { env });
    ctx.defer(bare.stop);

    const [statements10, statements50] = PAGE_SIZES.map((n) => handoff.info.statements[n]);
    const statementsConstant = statements10 === statements50;
    ctx.log(`orders page: ${statements10} SQL statements for 10 orders, ${statements50} for 50`);
    if (!statementsConstant)
      ctx.log(`WARNING: an orders page costs more statements as it grows (${statements10} → ${statements50}): N+1`);

    const json = { 'content-type': 'application/json' };
    const handoffHeaders = { ...json, authorization: `Bearer ${handoff.info.apiKey}` };
    const handoffUrl = `${handoff.info.url}/graphql`;
    const bareUrl = `${bare.info.url}/graphql`;
    const handoffQuery = '{ viewer { name } }';
    const bareQuery = '{ hello }';
    const load = await loadSideBySide({
      a: {
        name: 'handoff',
        url: handoffUrl,
        method: 'POST',
        headers: handoffHeaders,
        body: JSON.stringify({ query: handoffQuery }),
        expectBody: await expectedBody(
          handoffUrl,
          handoffHeaders,
          handoffQuery,
          (r) => typeof r.data?.viewer?.name === 'string',
        ),
      },
      b: {
        name: 'bare apollo',
        url: bareUrl,
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query: bareQuery }),
        expectBody: await expectedBody(bareUrl, json, bareQuery, (r) => r.data?.hello === 'world'),
      },
      connections: CONNECTIONS,
      warmupSeconds: WARMUP_SECONDS,
      segmentSeconds: SEGMENT_SECONDS,
      rounds: ROUNDS,
      log: ctx.log,
    });

    return {
      ratio: round(load.a.rps / load.b.rps, 3),
      handoffRps: load.a.rps,
      bareRps: load.b.rps,
      handoffP99Ms: load.a.p99Ms,
      bareP99Ms: load.b.p99Ms,
      handoffAvgMs: load.a.avgMs,
      bareAvgMs: load.b.avgMs,
      ordersPageStatements10: statements10,
      ordersPageStatements50: statements50,
      statementsConstant,
      connections: CONNECTIONS,
      secondsPerSide: load.a.seconds,
      database: db.mode,
    };
  },
};
