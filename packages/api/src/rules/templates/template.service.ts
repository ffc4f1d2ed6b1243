import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { conflict, notFound } from '@handoff/shared';
import type { Clock } from '../../clock.js';
import { keysetPage } from '../../db/keyset-page.js';
import { isUuid } from '../../db/uuid.js';
import type { MerchantContext } from '../../graphql/request-context.js';
import { parseInput } from '../../graphql/validate.js';
import { Merchant } from '../../merchants/merchant.entity.js';
import { OrderItem } from '../../orders/order-item.entity.js';
import { Order } from '../../orders/order.entity.js';
import type { PortalCodeService } from '../../portal/portal-code.service.js';
import { Rule } from '../rule.entity.js';
import { Template, type TemplateVariants } from '../template.entity.js';
import { pickLanguage, type RenderedMessage } from './template-engine.js';
import type { TemplateRenderer } from './template-renderer.js';
import { loadDownloadViews, templateData } from './template-data.js';

const language = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag like en, de or zh-CN');

const variantSchema = z.object({
  language,
  subject: z.string().min(1).max(500),
  html: z.string().min(1).max(200_000),
  text: z.string().min(1).max(100_000),
});

const templateSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    fallbackLanguage: language,
    variants: z.array(variantSchema).min(1).max(50),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.variants.forEach((v, i) => {
      if (seen.has(v.language.toLowerCase()))
        ctx.addIssue({ code: 'custom', path: ['variants', i, 'language'], message: `${v.language} appears twice` });
      seen.add(v.language.toLowerCase());
    });
    if (!t.variants.some((v) => v.language === t.fallbackLanguage))
      ctx.addIssue({ code: 'custom', path: ['fallbackLanguage'], message: 'must be one of the variants' });
  });

export type TemplateInput = z.input<typeof templateSchema>;

/**
 * Turns the variant list of an input into the stored map, after checking every placeholder and
 * that each variant renders a large order within the limits.
 */
export async function checkedVariants(
  renderer: TemplateRenderer,
  merchantId: string,
  input: TemplateInput,
): Promise<{ name: string; fallbackLanguage: string; variants: TemplateVariants }> {
  const parsed = parseInput(templateSchema, input);
  for (const [i, v] of parsed.variants.entries()) await renderer.check(merchantId, v, `variants.${i}`);
  return {
    name: parsed.name,
    fallbackLanguage: parsed.fallbackLanguage,
    variants: Object.fromEntries(
      parsed.variants.map((v) => [v.language, { subject: v.subject, html: v.html, text: v.text }]),
    ),
  };
}

export function variantList(template: Template) {
  return Object.entries(template.variants).map(([language, v]) => ({ language, ...v }));
}

/** Notification templates: CRUD with placeholder validation, and rendering with an order's real data. */
export class TemplateService {
  constructor(
    private readonly clock: Clock,
    private readonly portal: PortalCodeService,
    private readonly renderer: TemplateRenderer,
  ) {}

  async list(ctx: MerchantContext, first: number, after?: string | null) {
    return keysetPage(
      ctx.em,
      Template,
      { merchant: ctx.actor.merchantId },
      { key: 'name', direction: 'asc', kind: 'string' },
      first,
      after,
    );
  }

  async get(ctx: MerchantContext, id: string): Promise<Template | null> {
    return isUuid(id) ? ctx.em.findOne(Template, { id, merchant: ctx.actor.merchantId }) : null;
  }

  async create(ctx: MerchantContext, input: TemplateInput): Promise<Template> {
    const fields = await checkedVariants(this.renderer, ctx.actor.merchantId, input);
    await this.checkNameFree(ctx.em, ctx.actor.merchantId, fields.name, null);
    const now = this.clock.now();
    const template = ctx.em.create(Template, {
      merchant: ctx.em.getReference(Merchant, ctx.actor.merchantId),
      ...fields,
      createdAt: now,
      updatedAt: now,
    });
    await ctx.em.flush();
    return template;
  }

  async update(ctx: MerchantContext, id: string, input: TemplateInput): Promise<Template> {
    const template = await this.own(ctx, id);
    const fields = await checkedVariants(this.renderer, ctx.actor.merchantId, input);
    await this.checkNameFree(ctx.em, ctx.actor.merchantId, fields.name, template.id);
    ctx.em.assign(template, { ...fields, updatedAt: this.clock.now() });
    await ctx.em.flush();
    return template;
  }

  async delete(ctx: MerchantContext, id: string): Promise<string> {
    const template = await this.own(ctx, id);
    const rules = await ctx.em.find(Rule, { merchant: ctx.actor.merchantId });
    const user = rules.find((r) => r.actions.some((a) => a.args.templateId === template.id));
    if (user) throw conflict(`the rule "${user.name}" sends this template`, 'id');
    await ctx.em.removeAndFlush(template);
    return id;
  }

  /** A preview with the order's real data; writes nothing. The portal link is a stand-in: it is the buyer's key. */
  async render(
    ctx: MerchantContext,
    templateId: string,
    orderId: string,
    lang?: string | null,
  ): Promise<RenderedMessage> {
    const template = await this.own(ctx, templateId);
    const order = isUuid(orderId) ? await ctx.em.findOne(Order, { id: orderId, merchant: ctx.actor.merchantId }) : null;
    if (!order) throw notFound('Order');
    return this.renderFor(ctx.em, template, order, this.portal.urlFor('PREVIEW'), lang);
  }

  /** Renders for an order in its buyer's language (or `lang`), falling back as the template says. */
  async renderFor(
    em: EntityManager,
    template: Template,
    order: Order,
    portalUrl: string | null,
    lang?: string | null,
  ): Promise<RenderedMessage> {
    // One after another: `em` may be a transaction, one connection that must not get overlapping queries.
    const items = await em.find(OrderItem, { order: order.id }, { orderBy: { externalId: 'asc' } });
    const merchant = await em.findOneOrFail(Merchant, { id: order.merchant.id });
    const downloads = await loadDownloadViews(em, order.merchant.id, order.id);
    return this.renderWith(template, { order, items, merchant, downloads, portalUrl }, lang);
  }

  /** Renders from data the caller already holds (rule runs load it for a whole batch), on a render thread. */
  renderWith(
    template: Template,
    data: Omit<Parameters<typeof templateData>[0], 'language'>,
    lang?: string | null,
  ): Promise<RenderedMessage> {
    const chosen = pickLanguage(
      Object.keys(template.variants),
      lang ?? data.order.buyerLanguage,
      template.fallbackLanguage,
    );
    const variant = template.variants[chosen]!;
    return this.renderer.render(template.merchant.id, variant, chosen, templateData({ ...data, language: chosen }));
  }

  private async own(ctx: MerchantContext, id: string): Promise<Template> {
    const template = await this.get(ctx, id);
    if (!template) throw notFound('Template');
    return template;
  }

  private async checkNameFree(em: EntityManager, merchantId: string, name: string, except: string | null) {
    const other = await em.findOne(Template, { merchant: merchantId, name });
    if (other && other.id !== except) throw conflict(`a template named "${name}" exists`, 'name');
  }
}
