// Finds the benchmarks: every bench/<name>.bench.mjs, whose default export is { name, run }.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchDir } from './paths.mjs';

const SUFFIX = '.bench.mjs';

/** The benchmark names, from the file names, sorted. */
export async function benchNames() {
  const files = await readdir(benchDir);
  return files
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .sort();
}

/**
 * @typedef {object} BenchContext
 * @property {(line: string) => void} log      progress for humans, on stderr
 * @property {(cleanup: () => unknown) => void} defer  runs after the benchmark, last deferred first, even on error
 */

/**
 * @typedef {object} Bench
 * @property {string} name
 * @property {string} [description]
 * @property {(ctx: BenchContext) => Promise<{ ratio: number } & Record<string, unknown>>} run
 */

/** @param {string} name @returns {Promise<Bench>} */
export async function loadBench(name) {
  const module = await import(pathToFileURL(join(benchDir, `${name}${SUFFIX}`)).href);
  const bench = module.default;
  if (!bench || typeof bench.run !== 'function')
    throw new Error(`bench/${name}${SUFFIX} must default-export { name, run(ctx) }`);
  if (bench.name !== name)
    throw new Error(`bench/${name}${SUFFIX} exports name "${bench.name}"; it must match the file name`);
  return bench;
}
