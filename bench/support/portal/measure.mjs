// What a buyer's browser downloads to run /p/[code], and per-request latency sampling.
import { gzipSync } from 'node:zlib';

/**
 * The JavaScript a page loads: `<script src>`, `rel=modulepreload` links (in the HTML and in the
 * `Link` header, where Kit puts them), the inline bootstrap's `import("…")` targets, and every module
 * those import statically, each fetched once. Dynamic imports inside modules (other routes) are not
 * followed: the browser loads them only when the buyer goes there.
 * @param {string} pageUrl
 * @param {Response} response the page's response (for its Link header)
 * @param {string} html
 */
export async function shippedJavaScript(pageUrl, response, html) {
  const queue = [];
  const add = (href, base) => queue.push(new URL(href, base).href);
  for (const [, tag] of html.matchAll(/<link\b([^>]*)>/g)) {
    const href = /\bhref=["']([^"']+)["']/.exec(tag)?.[1];
    if (href && /\brel=["']?modulepreload/.test(tag)) add(href, pageUrl);
  }
  for (const part of (response.headers.get('link') ?? '').split(/,\s*(?=<)/)) {
    const href = /^<([^>]+)>/.exec(part)?.[1];
    if (href && /rel="?modulepreload/.test(part)) add(href, pageUrl);
  }
  for (const [, src] of html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["']/g)) add(src, pageUrl);
  for (const [, src] of html.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) add(src, pageUrl);

  const seen = new Set();
  let raw = 0;
  let gzip = 0;
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const module = await fetch(url);
    if (!module.ok) throw new Error(`${url}: HTTP ${module.status}`);
    const bytes = Buffer.from(await module.arrayBuffer());
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
    const text = bytes.toString('utf8');
    for (const [, spec] of text.matchAll(/\b(?:import|export)\s*(?:[^"'();]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g))
      add(spec, url);
  }
  return { files: seen.size, rawBytes: raw, gzipBytes: gzip };
}

/** Milliseconds of one call, the body read to its end. */
export async function timed(call) {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
