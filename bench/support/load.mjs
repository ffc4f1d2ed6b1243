// Load generation with autocannon (installed at the repository root), measuring two HTTP targets side
// by side: the same connections and durations for both, warm-ups first, then alternating segments
// (A B, B A, …) so neither side always runs on a warmer or cooler machine.
import autocannon from 'autocannon';

/**
 * @typedef {object} Target
 * @property {string} name
 * @property {string} url         full URL including the path
 * @property {string} [method]
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 * @property {string} [expectBody]  responses with another body count as mismatches (and fail the run)
 */

/**
 * @typedef {object} LoadFigures
 * @property {number} rps        completed requests per second over all measured segments
 * @property {number} requests   completed requests over all measured segments
 * @property {number} seconds    measured seconds
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} avgMs
 */

/** One autocannon run; the raw (unaggregated) result so segments can be merged exactly. */
function fire(target, connections, seconds) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: target.url,
        method: target.method ?? 'GET',
        headers: target.headers,
        body: target.body,
        expectBody: target.expectBody,
        connections,
        duration: seconds,
        pipelining: 1,
        timeout: 10,
        skipAggregateResult: true,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** Merges one target's segments: latency histograms are added, throughput is requests / seconds. */
function summarize(target, segments, connections) {
  const merged = autocannon.aggregateResult(segments, { url: target.url, connections });
  const failures = merged.errors + merged.timeouts + merged.non2xx + merged.mismatches;
  if (failures > 0) {
    throw new Error(
      `${target.name}: ${merged.errors} errors, ${merged.timeouts} timeouts, ${merged.non2xx} non-2xx, ${merged.mismatches} unexpected bodies`,
    );
  }
  const requests = segments.reduce((sum, s) => sum + s.totalCompletedRequests, 0);
  const seconds = segments.reduce((sum, s) => sum + s.duration, 0);
  return {
    rps: round(requests / seconds, 0),
    requests,
    seconds: round(seconds, 2),
    p50Ms: merged.latency.p50,
    p99Ms: merged.latency.p99,
    avgMs: round(merged.latency.average, 2),
  };
}

/**
 * @param {{ a: Target, b: Target, connections: number, warmupSeconds: number, segmentSeconds: number,
 *   rounds: number, log?: (line: string) => void }} plan  each target is measured rounds × segmentSeconds
 * @returns {Promise<{ a: LoadFigures, b: LoadFigures }>}
 */
export async function loadSideBySide(plan) {
  const log = plan.log ?? (() => {});
  const { a, b, connections } = plan;
  for (const target of [a, b]) {
    log(`warm-up ${target.name}: ${plan.warmupSeconds} s`);
    await fire(target, connections, plan.warmupSeconds);
  }
  /** @type {Map<Target, unknown[]>} */
  const segments = new Map([
    [a, []],
    [b, []],
  ]);
  for (let round = 0; round < plan.rounds; round++) {
    for (const target of round % 2 === 0 ? [a, b] : [b, a]) {
      const result = await fire(target, connections, plan.segmentSeconds);
      log(
        `  ${target.name}: ${Math.round(result.totalCompletedRequests / result.duration)} rps over ${result.duration} s`,
      );
      segments.get(target)?.push(result);
    }
  }
  return { a: summarize(a, segments.get(a), connections), b: summarize(b, segments.get(b), connections) };
}

/** @param {number} value @param {number} digits */
export function round(value, digits) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
