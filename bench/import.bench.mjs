// Issue 3: import throughput of 10,000 orders from a local fake Shopify through the real sync service,
// against raw multi-row INSERT … ON CONFLICT of the same rows in the same run; then a re-sync of the
// same, unchanged orders.
import { join } from 'node:path';
import { startChildServer } from './support/child-server.mjs';
import { freshDatabases } from './support/database.mjs';
import { insertBaseline, baselineRows } from './support/import/baseline-insert.mjs';
import { createChannelMeter } from './support/import/channel-meter.mjs';
import { fetchAllOrders } from './support/import/fetch-orders.mjs';
import { addShopifyConnection, openHub } from './support/import/handoff-hub.mjs';
import { orderDigest } from './support/import/table-digest.mjs';
import { timeImportBatches } from './support/import/time-import-batches.mjs';
import { round } from './support/load.mjs';
import { apiDist, benchDir } from './support/paths.mjs';

const ORDERS = 10_000;
/** The largest page the Shopify connector allows (settings.pageSize is clamped to 1..250). */
const PAGE_SIZE = 250;
const BASELINE_BATCH = 500;
const TARGET_RATIO = 0.25;
const TARGET_RESYNC_SPEEDUP = 5;

const { openOrm } = await apiDist('db/orm');
const { orderFingerprint } = await apiDist('orders/order-fingerprint');

/** Orders per second, from a count and milliseconds. */
const rate = (orders, ms) => (orders * 1000) / ms;
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Times one sync run and logs where its wall time went. */
async function timedSync(ctx, label, hub, connectionId, meter, batches) {
  meter.take();
  batches.take();
  const started = performance.now();
  const outcome = await hub.services.sync.run(hub.orm.em.fork(), connectionId, 'manual');
  const ms = performance.now() - started;
  if (outcome?.status !== 'succeeded') throw new Error(`${label}: sync ${outcome?.status}: ${outcome?.error?.message}`);
  const http = meter.take();
  const imported = batches.take();
  const rest = ms - http.fetchMs - imported.ms;
  ctx.log(
    `${label}: ${seconds(ms)} for ${imported.orders} orders in ${imported.batches} pages (${Math.round(rate(imported.orders, ms))} orders/s) — ` +
      `HTTP ${seconds(http.fetchMs)} (${http.requests} requests), importBatch ${seconds(imported.ms)}, ` +
      `rest (JSON parse, mapping, transactions, bookkeeping) ${seconds(rest)}; counts ${JSON.stringify(outcome.counts)}`,
  );
  for (const page of [imported.early, imported.late].filter(Boolean))
    ctx.log(`  page ${page.page}: importBatch ${Math.round(page.importMs)} ms, cycle ${Math.round(page.cycleMs)} ms`);
  return { ms, counts: outcome.counts, pages: imported.batches };
}

export default {
  name: 'import',
  description: `sync of ${ORDERS.toLocaleString('en')} orders from a fake Shopify vs raw multi-row INSERT … ON CONFLICT, and an unchanged re-sync`,
  /** @param {import('./support/discover.mjs').BenchContext} ctx */
  async run(ctx) {
    const db = await freshDatabases(2, { log: ctx.log });
    ctx.defer(db.drop);
    const [hubUrl, baselineUrl] = db.urls;
    const fake = await startChildServer(join(benchDir, 'support', 'import', 'fake-shopify-child.mjs'), {
      env: { BENCH_ORDERS: String(ORDERS) },
    });
    ctx.defer(fake.stop);
    const shop = {
      shop: fake.info.shop,
      baseUrl: fake.info.url,
      accessToken: fake.info.accessToken,
      pageSize: PAGE_SIZE,
    };
    const meter = createChannelMeter();

    // The baseline's rows: the fake's orders as the connector normalizes them, read once (timed only
    // to show the channel's share: no sync can be faster than reading and mapping every page).
    const readStarted = performance.now();
    const fetched = await fetchAllOrders({
      kind: 'shopify',
      credentials: { accessToken: shop.accessToken },
      settings: { shop: shop.shop, baseUrl: shop.baseUrl, pageSize: String(PAGE_SIZE) },
      fetch: meter.fetch,
      sleep: meter.sleep,
    });
    const readMs = performance.now() - readStarted;
    const prefetch = meter.take();
    ctx.log(
      `channel read: ${fetched.orders.length} orders in ${fetched.pages} pages through the connector in ${seconds(readMs)} ` +
        `(${Math.round(rate(fetched.orders.length, readMs))} orders/s; HTTP ${seconds(prefetch.fetchMs)}; ` +
        `${prefetch.sleeps} pacing waits of ${seconds(prefetch.sleptMs)} in total recorded, not slept)`,
    );
    if (new Set(fetched.orders.map((o) => o.externalId)).size !== ORDERS)
      throw new Error(`the fake served ${fetched.orders.length} orders, expected ${ORDERS} distinct`);

    // Baseline: raw INSERT … ON CONFLICT of the same rows on its own fresh database.
    const baselineOrm = await openOrm(baselineUrl);
    const baselineTarget = await addShopifyConnection(baselineOrm, shop).finally(() => baselineOrm.close());
    const rows = baselineRows(fetched.orders, { ...baselineTarget, fingerprint: orderFingerprint, now: new Date() });
    const baseline = await insertBaseline(baselineUrl, rows, BASELINE_BATCH);
    ctx.log(
      `baseline: ${seconds(baseline.ms)} for ${ORDERS} orders in batches of ${BASELINE_BATCH} ` +
        `(${baseline.statements} statements, ${Math.round(rate(ORDERS, baseline.ms))} orders/s)`,
    );

    // Handoff: the real sync service against the fake, first import then an unchanged re-sync.
    const hub = await openHub(hubUrl, { fetch: meter.fetch, sleep: meter.sleep });
    ctx.defer(hub.close);
    const { connectionId } = await addShopifyConnection(hub.orm, shop);
    const batches = timeImportBatches(hub.services.importer);

    const first = await timedSync(ctx, 'first import', hub, connectionId, meter, batches);
    if (first.counts.created !== ORDERS) throw new Error(`first import created ${first.counts.created} orders`);
    const [hubData, baselineData] = await Promise.all([orderDigest(hubUrl), orderDigest(baselineUrl)]);
    if (JSON.stringify(hubData) !== JSON.stringify(baselineData))
      throw new Error(`the hub and the baseline hold different data: ${JSON.stringify({ hubData, baselineData })}`);
    ctx.log(`both databases hold the same ${hubData.orders} orders and ${hubData.items} lines (digests equal)`);

    await hub.resetWatermark(connectionId);
    const resync = await timedSync(ctx, 're-sync', hub, connectionId, meter, batches);
    const { created, updated, unchanged } = resync.counts;
    if (created !== 0 || updated !== 0 || unchanged !== ORDERS)
      throw new Error(`re-sync of unchanged orders reported ${JSON.stringify(resync.counts)}`);
    const after = await orderDigest(hubUrl);
    if (after.orders !== ORDERS || after.ordersDigest !== hubData.ordersDigest)
      throw new Error(
        `after the re-sync the hub holds ${after.orders} orders (digest changed: ${after.ordersDigest !== hubData.ordersDigest})`,
      );

    const handoffRate = rate(ORDERS, first.ms);
    const baselineRate = rate(ORDERS, baseline.ms);
    const resyncRate = rate(ORDERS, resync.ms);
    const ratio = handoffRate / baselineRate;
    const speedup = resyncRate / handoffRate;
    if (ratio < TARGET_RATIO) ctx.log(`MISSED: ratio ${ratio.toFixed(3)} < target ${TARGET_RATIO}`);
    if (speedup < TARGET_RESYNC_SPEEDUP)
      ctx.log(`MISSED: re-sync speedup ${speedup.toFixed(2)} < target ${TARGET_RESYNC_SPEEDUP}`);
    return {
      ratio: round(ratio, 3),
      handoffOrdersPerSec: round(handoffRate, 0),
      baselineOrdersPerSec: round(baselineRate, 0),
      resyncOrdersPerSec: round(resyncRate, 0),
      resyncSpeedup: round(speedup, 2),
      channelReadOrdersPerSec: round(rate(ORDERS, readMs), 0),
      orders: ORDERS,
      pages: first.pages,
      pageSize: PAGE_SIZE,
      targetRatio: TARGET_RATIO,
      targetResyncSpeedup: TARGET_RESYNC_SPEEDUP,
      database: db.mode,
    };
  },
};
