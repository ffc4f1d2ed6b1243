/**
 * The template thread: LiquidJS parses and renders merchant templates here, never on a process's
 * main thread, so a template that loops for seconds holds only this thread (the pool terminates it
 * at the time limit, see render-pool.ts). Plain JavaScript on purpose: the same file runs from
 * `src` under vitest and from `dist` after tsc (allowJs), with no TypeScript loader in the thread.
 *
 * Requests: `{ id, op: 'check', variant }` → the variable paths of each part;
 * `{ id, op: 'render', variant, data }` → `{ subject, html, text }`.
 * Answers: `{ id, ok: true, value }` or `{ id, ok: false, error: { kind, part, message } }` with
 * kind `invalid` (does not parse), `limit` (LiquidJS's own limits, the output cap) or `failed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Liquid } from 'liquidjs';

const { renderLimitMs, maxOutputChars } = workerData;

/** Tags that would reach outside the template (files, other templates): refused at parse time. */
const FORBIDDEN_TAGS = ['include', 'render', 'layout', 'block'];
const PARTS = ['subject', 'html', 'text'];

function engine(outputEscape) {
  const liquid = new Liquid({
    // No file system at all: an empty in-memory store, and the tags that load templates refuse.
    templates: {},
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    outputEscape,
    timezoneOffset: 0,
    // LiquidJS's own limits answer first with a clean error; the pool's terminate is the hard one.
    parseLimit: 200_000,
    renderLimit: renderLimitMs,
    memoryLimit: 10_000_000,
  });
  for (const tag of FORBIDDEN_TAGS)
    liquid.registerTag(tag, {
      parse() {
        throw new Error(`the ${tag} tag is not available in templates`);
      },
      render() {
        return '';
      },
    });
  return liquid;
}

/** HTML bodies: every output escaped. Subjects and text bodies: plain text, nothing to escape. */
const engines = { html: engine('escape'), text: engine(undefined) };
const engineFor = (part) => (part === 'html' ? engines.html : engines.text);

class TemplateFailure extends Error {
  constructor(kind, part, message) {
    super(message);
    this.kind = kind;
    this.part = part;
  }
}

const firstLine = (error) => String(error?.message ?? error).split('\n')[0];
const kindOf = (error) => (/limit exceeded/.test(firstLine(error)) ? 'limit' : 'failed');

/** Parsed templates by part and source: a batch of messages from one template parses it once. */
const parseCache = new Map();
const PARSE_CACHE_SIZE = 200;

function parsed(part, source) {
  const key = `${part === 'html' ? 'h' : 't'}:${source}`;
  let templates = parseCache.get(key);
  if (!templates) {
    try {
      templates = engineFor(part).parse(source);
    } catch (error) {
      throw new TemplateFailure(/limit exceeded/.test(firstLine(error)) ? 'limit' : 'invalid', part, firstLine(error));
    }
    if (parseCache.size >= PARSE_CACHE_SIZE) parseCache.delete(parseCache.keys().next().value);
    parseCache.set(key, templates);
  }
  return templates;
}

/** Every variable path of each part (the main thread checks them against the placeholders). */
function check(variant) {
  const paths = {};
  for (const part of PARTS) {
    const templates = parsed(part, variant[part]);
    paths[part] = engineFor(part).globalVariableSegmentsSync(templates, { partials: false });
  }
  return paths;
}

/** Synchronously: no filter or tag of ours is async, and the async renderer costs a promise per node. */
function render(variant, data) {
  const out = {};
  let size = 0;
  for (const part of PARTS) {
    try {
      out[part] = engineFor(part).renderSync(parsed(part, variant[part]), data);
    } catch (error) {
      if (error instanceof TemplateFailure) throw error;
      throw new TemplateFailure(kindOf(error), part, firstLine(error));
    }
    size += out[part].length;
    if (size > maxOutputChars)
      throw new TemplateFailure('limit', part, `the rendered message is longer than ${maxOutputChars} characters`);
  }
  return out;
}

parentPort.on('message', ({ id, op, variant, data }) => {
  try {
    const value = op === 'check' ? check(variant) : render(variant, data);
    parentPort.postMessage({ id, ok: true, value });
  } catch (error) {
    const failure = error instanceof TemplateFailure ? error : new TemplateFailure('failed', null, firstLine(error));
    parentPort.postMessage({
      id,
      ok: false,
      error: { kind: failure.kind, part: failure.part, message: failure.message },
    });
  }
});

parentPort.postMessage({ ready: true });
