import { Liquid, type Template as LiquidTemplate } from 'liquidjs';
import { invalidInput } from '@handoff/shared';
import { unknownPlaceholder } from './placeholders.js';

export interface RenderedMessage {
  language: string;
  subject: string;
  html: string;
  text: string;
}

export interface TemplateVariantInput {
  subject: string;
  html: string;
  text: string;
}

const LIMITS = { parseLimit: 200_000, renderLimit: 2_000, memoryLimit: 10_000_000 };

/** Tags that would reach outside the template (files, other templates): refused at parse time. */
const FORBIDDEN_TAGS = ['include', 'render', 'layout', 'block'];

function engine(outputEscape: 'escape' | undefined): Liquid {
  const liquid = new Liquid({
    // No file system at all: an empty in-memory store, and the tags that load templates refuse.
    templates: {},
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    outputEscape,
    timezoneOffset: 0,
    ...LIMITS,
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

/** HTML bodies: every output escaped unless the merchant writes `| raw` (which we refuse). */
const htmlEngine = engine('escape');
/** Subjects and text bodies: plain text, nothing to escape. */
const textEngine = engine(undefined);

const PARTS = ['subject', 'html', 'text'] as const;

function parse(liquid: Liquid, source: string, field: string): LiquidTemplate[] {
  try {
    return liquid.parse(source);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw invalidInput(`${field}: ${message}`, field);
  }
}

/**
 * Checks one variant: it parses, uses only known filters and placeholders, and the HTML body
 * never un-escapes a value. Errors name the field and the offending placeholder or filter.
 */
export function validateVariant(variant: TemplateVariantInput, fieldPrefix: string): void {
  for (const part of PARTS) {
    const field = `${fieldPrefix}.${part}`;
    const source = variant[part];
    const liquid = part === 'html' ? htmlEngine : textEngine;
    const templates = parse(liquid, source, field);
    if (part === 'html' && /\|\s*raw\b/.test(source)) {
      throw invalidInput(`${field}: the raw filter is not allowed; placeholders are always escaped`, field);
    }
    for (const segments of liquid.globalVariableSegmentsSync(templates, { partials: false })) {
      const unknown = unknownPlaceholder(segments);
      if (unknown) throw invalidInput(`${field}: unknown placeholder "${unknown}"`, field);
    }
  }
}

/** Parsed templates by engine and source: a batch of messages from one template parses it once. */
const parseCache = new Map<Liquid, Map<string, LiquidTemplate[]>>();
const PARSE_CACHE_SIZE = 500;

function parsed(liquid: Liquid, source: string): LiquidTemplate[] {
  let cache = parseCache.get(liquid);
  if (!cache) parseCache.set(liquid, (cache = new Map()));
  let templates = cache.get(source);
  if (!templates) {
    templates = liquid.parse(source);
    if (cache.size >= PARSE_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(source, templates);
  }
  return templates;
}

/**
 * Renders a variant. Synchronously: no filter or tag of ours is async, and Liquid's async renderer
 * creates a promise per node, which a batch of a hundred messages pays for many times over.
 */
export function renderVariant(
  variant: TemplateVariantInput,
  language: string,
  data: Record<string, unknown>,
): RenderedMessage {
  const subject = textEngine.renderSync(parsed(textEngine, variant.subject), data) as string;
  const html = htmlEngine.renderSync(parsed(htmlEngine, variant.html), data) as string;
  const text = textEngine.renderSync(parsed(textEngine, variant.text), data) as string;
  return { language, subject: subject.replace(/[\r\n]+/g, ' ').trim(), html, text };
}

/**
 * The variant for a buyer's language: exact tag, then same primary language (de-AT → de,
 * zh → zh-CN), then the template's fallback, then the first one.
 */
export function pickLanguage(available: string[], wanted: string | null | undefined, fallback: string): string {
  const lower = (s: string) => s.toLowerCase();
  if (wanted) {
    const w = lower(wanted.replace('_', '-'));
    const exact = available.find((l) => lower(l) === w);
    if (exact) return exact;
    const primary = w.split('-')[0]!;
    const same =
      available.find((l) => lower(l) === primary) ?? available.find((l) => lower(l).split('-')[0] === primary);
    if (same) return same;
  }
  if (available.includes(fallback)) return fallback;
  return available[0]!;
}
