// B4 from the research notes: a 1 GiB local file streamed through GET /d/:token (token check, one
// conditional UPDATE, download event, local storage provider, Range-capable streaming) against a bare
// fs.createReadStream → http response server, side by side; plus the API process's peak RSS growth.
// Both read with 1 MiB chunks (the local provider's highWaterMark), so the ratio is Handoff's overhead.
import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from './support/child-server.mjs';
import { freshDatabase } from './support/database.mjs';
import { download, rssOf } from './support/download/measure.mjs';
import { round } from './support/load.mjs';
import { benchDir } from './support/paths.mjs';

const SIZE = 1024 ** 3;
const FILE = 'big.bin';
const ORDER = ['handoff', 'bare', 'bare', 'handoff']; // A B B A: each side measured twice
const MB = 1e6;

/** A sparse 1 GiB file (instant to create) with a few written regions so it is not all holes. */
async function createFile(path) {
  const handle = await open(path, 'w');
  try {
    await handle.truncate(SIZE);
    const block = Buffer.alloc(1024 * 1024, 0x5a);
    for (let i = 0; i < 16; i++) await handle.write(block, 0, block.length, i * (SIZE / 16));
  } finally {
    await handle.close();
  }
}

export default {
  name: 'download',
  description: '1 GiB local file through /d/:token vs bare fs.createReadStream → http response',
  /** @param {import('./support/discover.mjs').BenchContext} ctx */
  async run(ctx) {
    const root = await mkdtemp(join(tmpdir(), 'handoff-bench-dl-'));
    ctx.defer(() => rm(root, { recursive: true, force: true }));
    await createFile(join(root, FILE));
    const db = await freshDatabase({ log: ctx.log });
    ctx.defer(db.drop);
    const handoff = await startChildServer(join(benchDir, 'support', 'download', 'handoff-server.mjs'), {
      env: { BENCH_DATABASE_URL: db.url, BENCH_ROOT: root, BENCH_FILE: FILE, BENCH_TOKENS: '4' },
    });
    ctx.defer(handoff.stop);
    const bare = await startChildServer(join(benchDir, 'support', 'download', 'bare-server.mjs'), {
      env: { BENCH_PATH: join(root, FILE) },
    });
    ctx.defer(bare.stop);

    // The API's RSS before any download; growth counts from here (warm-up included).
    await new Promise((r) => setTimeout(r, 500));
    const restingRss = rssOf(handoff.pid);
    if (restingRss === null) ctx.log('WARNING: /proc not readable, RSS figures unavailable');
    // Warm-up: one full read of each (JIT, page cache), not measured for throughput.
    const warm = await download(`${handoff.info.url}${handoff.info.paths[0]}`, handoff.pid, SIZE);
    await download(bare.info.url, bare.pid, SIZE);

    const totals = {
      handoff: { bytes: 0, seconds: 0, peakRss: warm.peakRss },
      bare: { bytes: 0, seconds: 0, peakRss: 0 },
    };
    let token = 1;
    for (const side of ORDER) {
      const url = side === 'handoff' ? `${handoff.info.url}${handoff.info.paths[token++]}` : bare.info.url;
      const pid = side === 'handoff' ? handoff.pid : bare.pid;
      const r = await download(url, pid, SIZE);
      totals[side].bytes += r.bytes;
      totals[side].seconds += r.seconds;
      totals[side].peakRss = Math.max(totals[side].peakRss, r.peakRss);
      ctx.log(`${side}: ${round(r.bytes / r.seconds / MB, 0)} MB/s, peak RSS ${round(r.peakRss / 2 ** 20, 1)} MiB`);
    }
    const handoffMBps = totals.handoff.bytes / totals.handoff.seconds / MB;
    const baselineMBps = totals.bare.bytes / totals.bare.seconds / MB;
    const peakRssGrowthMB = restingRss === null ? null : round((totals.handoff.peakRss - restingRss) / 2 ** 20, 1);
    return {
      ratio: round(handoffMBps / baselineMBps, 3),
      handoffMBps: round(handoffMBps, 0),
      baselineMBps: round(baselineMBps, 0),
      peakRssGrowthMB,
      restingRssMB: restingRss === null ? null : round(restingRss / 2 ** 20, 1),
      fileBytes: SIZE,
      downloadsPerSide: ORDER.length / 2,
      targetRatio: 0.7,
      targetRssGrowthMB: 64,
      database: db.mode,
    };
  },
};
