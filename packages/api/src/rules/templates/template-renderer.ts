import { createHash } from 'node:crypto';
import { invalidInput } from '@handoff/shared';
import { unknownPlaceholder } from './placeholders.js';
import { RenderFailedError, RenderPool } from './render-pool.js';
import type { RenderSettings } from './render-settings.js';
import { SlowTemplates } from './slow-templates.js';
import type { RenderedMessage, TemplateVariantInput } from './template-engine.js';
import { WORST_CASE, worstCaseData } from './worst-case-order.js';

const PARTS = ['subject', 'html', 'text'] as const;
type Part = (typeof PARTS)[number];
type Rendered = Record<Part, string>;

/**
 * Merchant templates, checked and rendered on the render threads (render-pool.ts) with hard time,
 * memory and output limits; each merchant is its own lane of the pool. Failures are
 * BAD_USER_INPUT errors that name the part and what went wrong.
 */
export class TemplateRenderer {
  private readonly pool: RenderPool;
  private readonly slow = new SlowTemplates();
  private worstCase: Record<string, unknown> | null = null;

  constructor(private readonly settings: RenderSettings) {
    this.pool = new RenderPool(settings);
  }

  /**
   * Checks one variant before it is saved: it parses, uses only known filters and placeholders,
   * the HTML body never un-escapes a value, and a large order renders within the limits.
   */
  async check(merchantId: string, variant: TemplateVariantInput, fieldPrefix: string): Promise<void> {
    let paths: Record<Part, unknown[][]>;
    try {
      paths = (await this.pool.run(merchantId, { op: 'check', variant: pick(variant) })) as Record<Part, unknown[][]>;
    } catch (error) {
      throw refused(error, 'does not parse', fieldPrefix);
    }
    for (const part of PARTS) {
      const field = `${fieldPrefix}.${part}`;
      if (part === 'html' && /\|\s*raw\b/.test(variant.html))
        throw invalidInput(`${field}: the raw filter is not allowed; placeholders are always escaped`, field);
      for (const segments of paths[part]) {
        const unknown = unknownPlaceholder(segments);
        if (unknown) throw invalidInput(`${field}: unknown placeholder "${unknown}"`, field);
      }
    }
    this.worstCase ??= worstCaseData();
    try {
      await this.pool.run(merchantId, { op: 'render', variant: pick(variant), data: this.worstCase });
    } catch (error) {
      const size = `${WORST_CASE.lines} lines, ${WORST_CASE.downloads} downloads`;
      throw refused(error, `too expensive to render for a large order (${size})`, fieldPrefix);
    }
  }

  /** Renders a variant with an order's data (template-data.ts). */
  async render(
    merchantId: string,
    variant: TemplateVariantInput,
    language: string,
    data: Record<string, unknown>,
  ): Promise<RenderedMessage> {
    const parts = pick(variant);
    const key = `${merchantId}:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url')}`;
    const size = orderSize(data);
    // Refused before queueing, and again as a thread takes it (a timeout may have come meanwhile).
    const known = () => this.slow.check(key, size);
    try {
      known();
      const out = (await this.pool.run(merchantId, { op: 'render', variant: parts, data }, known)) as Rendered;
      return { language, subject: out.subject.replace(/[\r\n]+/g, ' ').trim(), html: out.html, text: out.text };
    } catch (error) {
      if (error instanceof RenderFailedError && (error.failure.kind === 'timeout' || error.failure.kind === 'memory'))
        this.slow.record(key, size, error);
      throw refused(error, `the template (${language}) could not be rendered`);
    }
  }

  warmUp(): Promise<void> {
    return this.pool.warmUp();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

function pick(variant: TemplateVariantInput): TemplateVariantInput {
  return { subject: variant.subject, html: variant.html, text: variant.text };
}

/** Lines plus downloads plus keys: a template that was too slow for one size is for any larger. */
function orderSize(data: Record<string, unknown>): number {
  const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  return length(data.items) + length(data.downloads) + length(data.license_keys);
}

/**
 * A render thread's failure as the merchant sees it; anything else stays unexpected. `field`: the
 * input it refers to when saving (a parse error names its part).
 */
function refused(error: unknown, problem: string, field?: string) {
  if (!(error instanceof RenderFailedError)) return error;
  const { kind, part, message } = error.failure;
  if (!field) return invalidInput(`${problem}: ${message}`);
  const where = kind === 'invalid' && part ? `${field}.${part}` : field;
  return invalidInput(kind === 'invalid' ? `${where}: ${message}` : `${where}: ${problem}: ${message}`, where);
}
