// The buyer's portal page for an order with 20 files: the JavaScript it ships (gzipped) and its
// server render time against the bare `portal` GraphQL query it is built from, side by side.
import { mkdtemp, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from './support/child-server.mjs';
import { freshDatabase } from './support/database.mjs';
import { round } from './support/load.mjs';
import { benchDir } from './support/paths.mjs';
import { percentile, shippedJavaScript, timed } from './support/portal/measure.mjs';
import { ensurePortalBuild, startPortal } from './support/portal/portal-server.mjs';

const FILES = 20;
const WARMUP = 40;
const ROUNDS = 4; // A B B A per round
const PER_SEGMENT = 50;
const TARGET_RATIO = 2;
const TARGET_JS_GZIP_KB = 50;

// The same selection the portal's load sends (packages/portal/src/lib/server/portal-api.ts).
const PORTAL_QUERY = `query Portal($code: String!) {
  portal(code: $code) {
    view {
      order { number placedAt currency total items { title quantity unitPrice } }
      merchant { name logoUrl accentColor introText contactEmail }
      files { grantId name size contentType remaining expiresAt state }
      licenseKeys { product key }
      invoiceUrl language waiverRequired waiverAcceptedAt
    }
    error { code message suspendedUntil }
  }
}`;

export default {
  name: 'portal',
  description: 'JS shipped to /p/[code] (gzip) and its server render time vs the bare portal GraphQL query',
  /** @param {import('./support/discover.mjs').BenchContext} ctx */
  async run(ctx) {
    await ensurePortalBuild(ctx.log);
    const root = await mkdtemp(join(tmpdir(), 'handoff-bench-portal-'));
    ctx.defer(() => rm(root, { recursive: true, force: true }));
    const db = await freshDatabase({ log: ctx.log });
    ctx.defer(db.drop);
    const api = await startChildServer(join(benchDir, 'support', 'portal', 'handoff-server.mjs'), {
      env: { BENCH_DATABASE_URL: db.url, BENCH_ROOT: root, BENCH_FILES: String(FILES) },
    });
    ctx.defer(api.stop);
    const { url: apiUrl, code, token } = api.info;
    const portal = await startPortal({ apiUrl, token });
    ctx.defer(portal.stop);

    const pageUrl = `${portal.url}/p/${code}`;
    const buyer = { 'accept-language': 'en', 'user-agent': 'handoff-bench' };
    const renderPage = async () => {
      const response = await fetch(pageUrl, { headers: buyer });
      const html = await response.text();
      if (response.status !== 200) throw new Error(`/p/[code] answered ${response.status}`);
      return { response, html };
    };
    const queryApi = async () => {
      const response = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'apollo-require-preflight': 'true',
          authorization: `Bearer ${token}`,
          'x-handoff-client-ip': '127.0.0.1',
          'x-handoff-client-ua': 'handoff-bench',
        },
        body: JSON.stringify({ query: PORTAL_QUERY, variables: { code } }),
      });
      const body = await response.json();
      if (body.errors || !body.data?.portal?.view) throw new Error(`portal query failed: ${JSON.stringify(body)}`);
      if (body.data.portal.view.files.length !== FILES) throw new Error('the order does not have its files');
    };

    const { response: first, html } = await renderPage();
    const fileLinks = html.match(/\/download\/[0-9a-f-]{36}/g) ?? [];
    if (new Set(fileLinks).size !== FILES) throw new Error(`the page shows ${new Set(fileLinks).size} download links`);
    const js = await shippedJavaScript(pageUrl, first, html);
    ctx.log(`JS: ${js.files} files, ${round(js.rawBytes / 1024, 1)} KB raw, ${round(js.gzipBytes / 1024, 1)} KB gzip`);

    for (let i = 0; i < WARMUP; i++) {
      await renderPage();
      await queryApi();
    }
    const samples = { render: [], query: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const side of ['render', 'query', 'query', 'render']) {
        const call = side === 'render' ? renderPage : queryApi;
        for (let i = 0; i < PER_SEGMENT; i++) samples[side].push(await timed(call));
      }
    }
    const renderMs = percentile(samples.render, 50);
    const queryMs = percentile(samples.query, 50);
    const ratio = renderMs / queryMs;
    ctx.log(
      `render p50 ${round(renderMs, 2)} ms (p90 ${round(percentile(samples.render, 90), 2)}), ` +
        `query p50 ${round(queryMs, 2)} ms (p90 ${round(percentile(samples.query, 90), 2)})`,
    );
    if (ratio > TARGET_RATIO) ctx.log(`MISSED: render/query ${round(ratio, 2)} > ${TARGET_RATIO}`);
    if (js.gzipBytes / 1024 > TARGET_JS_GZIP_KB)
      ctx.log(`MISSED: ${round(js.gzipBytes / 1024, 1)} KB gzipped JS > ${TARGET_JS_GZIP_KB} KB`);
    return {
      ratio: round(ratio, 3),
      jsGzipKB: round(js.gzipBytes / 1024, 1),
      jsRawKB: round(js.rawBytes / 1024, 1),
      jsFiles: js.files,
      htmlGzipKB: round(gzipSync(html, { level: 9 }).length / 1024, 1),
      renderMs: round(renderMs, 2),
      queryMs: round(queryMs, 2),
      renderP90Ms: round(percentile(samples.render, 90), 2),
      queryP90Ms: round(percentile(samples.query, 90), 2),
      samplesPerSide: samples.render.length,
      files: FILES,
      targetRatio: TARGET_RATIO,
      targetJsGzipKB: TARGET_JS_GZIP_KB,
      database: db.mode,
    };
  },
};
