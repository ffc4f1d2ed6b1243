#!/usr/bin/env node
// pnpm bench [name…]: runs every bench/*.bench.mjs, or the named ones. Progress and a short summary go
// to stderr; each benchmark that succeeds prints exactly one JSON line on stdout:
// {"bench": name, "ratio": x, ...figures}. Exits non-zero when any benchmark throws.
import { benchNames, loadBench } from './support/discover.mjs';
import { ensureBuilt } from './support/ensure-build.mjs';

/** stdout is reserved for the JSON lines, whatever a library prints. */
const writeJsonLine = (value) => new Promise((resolve) => process.stdout.write(`${JSON.stringify(value)}\n`, resolve));
console.log = console.error;
console.info = console.error;

const log = (line) => process.stderr.write(`${line}\n`);

/** Cleanups of the benchmark that is running, so a signal can still run them. */
let pending = [];

async function runCleanups() {
  const cleanups = pending.reverse();
  pending = [];
  let failed = false;
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      failed = true;
      log(`  cleanup failed: ${error instanceof Error ? error.message : error}`);
    }
  }
  return !failed;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    log(`\n${signal}: cleaning up`);
    await runCleanups();
    process.exit(130);
  });
}

/** @param {import('./support/discover.mjs').Bench} bench */
async function runOne(bench) {
  const started = Date.now();
  log(`▶ ${bench.name}${bench.description ? ` — ${bench.description}` : ''}`);
  const ctx = {
    log: (line) => log(`  ${line}`),
    defer: (cleanup) => void pending.push(cleanup),
  };
  let figures;
  let failure;
  try {
    figures = await bench.run(ctx);
  } catch (error) {
    failure = error;
  }
  const cleanedUp = await runCleanups();
  if (failure) throw failure;
  if (!cleanedUp) throw new Error('cleanup failed');
  if (!figures || typeof figures.ratio !== 'number' || !Number.isFinite(figures.ratio)) {
    throw new Error(`run() must return { ratio: <finite number>, ... }, got ${JSON.stringify(figures)}`);
  }
  const { ratio, ...rest } = figures;
  const details = Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join(' ');
  log(`✔ ${bench.name}: ratio ${ratio} (${details}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await writeJsonLine({ bench: bench.name, ratio, ...rest });
}

async function main() {
  const available = await benchNames();
  const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = requested.filter((n) => !available.includes(n));
  if (unknown.length) {
    log(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${available.join(', ') || 'none'}`);
    return 2;
  }
  ensureBuilt(log);
  let failures = 0;
  for (const name of requested.length ? requested : available) {
    try {
      await runOne(await loadBench(name));
    } catch (error) {
      failures++;
      log(`✘ ${name}: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    }
  }
  return failures ? 1 : 0;
}

process.exitCode = await main();
