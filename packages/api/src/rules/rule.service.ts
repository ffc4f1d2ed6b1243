import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { HUB_STATUSES, invalidInput, notFound } from '@handoff/shared';
import type { Clock } from '../clock.js';
import { keysetPage } from '../db/keyset-page.js';
import { isUuid } from '../db/uuid.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { Merchant } from '../merchants/merchant.entity.js';
import type { ActionPorts } from './operation.js';
import { validateOperations } from './registry.js';
import { RULE_TRIGGERS, Rule } from './rule.entity.js';
import { Template } from './template.entity.js';
import { downloadsTemplateVariants, DOWNLOADS_TEMPLATE_NAME } from './templates/default-templates.js';

const operation = z.object({
  code: z.string().trim().min(1).max(60),
  args: z
    .record(z.unknown())
    .nullish()
    .transform((a) => a ?? {}),
});

const ruleSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    trigger: z.enum(RULE_TRIGGERS),
    triggerStatus: z
      .enum(HUB_STATUSES)
      .nullish()
      .transform((s) => s ?? null),
    match: z.enum(['all', 'any']).default('all'),
    conditions: z.array(operation).max(30).default([]),
    actions: z.array(operation).min(1).max(20),
  })
  .refine((r) => r.trigger === 'order.status_changed' || r.triggerStatus === null, {
    message: 'only order.status_changed rules take a triggerStatus',
    path: ['triggerStatus'],
  });

export type RuleInput = z.input<typeof ruleSchema>;

export const DEFAULT_RULE_NAME = 'Send downloads when paid';

/** Rules CRUD and order; every stored condition and action is validated against the registry. */
export class RuleService {
  constructor(
    private readonly clock: Clock,
    private readonly ports: ActionPorts,
  ) {}

  async list(ctx: MerchantContext, first: number, after?: string | null) {
    return keysetPage(
      ctx.em,
      Rule,
      { merchant: ctx.actor.merchantId },
      { key: 'position', direction: 'asc', kind: 'number' },
      first,
      after,
    );
  }

  async get(ctx: MerchantContext, id: string): Promise<Rule | null> {
    return isUuid(id) ? ctx.em.findOne(Rule, { id, merchant: ctx.actor.merchantId }) : null;
  }

  async create(ctx: MerchantContext, input: RuleInput): Promise<Rule> {
    const fields = await this.checked(ctx.em, ctx.actor.merchantId, input);
    const last = await ctx.em.findOne(Rule, { merchant: ctx.actor.merchantId }, { orderBy: { position: 'desc' } });
    const now = this.clock.now();
    const rule = ctx.em.create(Rule, {
      merchant: ctx.em.getReference(Merchant, ctx.actor.merchantId),
      ...fields,
      position: (last?.position ?? 0) + 1,
      createdAt: now,
      updatedAt: now,
    });
    await ctx.em.flush();
    return rule;
  }

  async update(ctx: MerchantContext, id: string, input: RuleInput): Promise<Rule> {
    const rule = await this.own(ctx, id);
    const fields = await this.checked(ctx.em, ctx.actor.merchantId, input);
    ctx.em.assign(rule, { ...fields, updatedAt: this.clock.now() });
    await ctx.em.flush();
    return rule;
  }

  async delete(ctx: MerchantContext, id: string): Promise<string> {
    const rule = await this.own(ctx, id);
    await ctx.em.removeAndFlush(rule);
    return id;
  }

  /** Puts the given rules first, in this order; the others keep their order after them. */
  async reorder(ctx: MerchantContext, ids: string[]): Promise<Rule[]> {
    if (new Set(ids).size !== ids.length) throw invalidInput('ids must not repeat', 'ids');
    const rules = await ctx.em.find(
      Rule,
      { merchant: ctx.actor.merchantId },
      { orderBy: { position: 'asc', id: 'asc' } },
    );
    const byId = new Map(rules.map((r) => [r.id, r]));
    const unknown = ids.find((id) => !byId.has(id));
    if (unknown) throw notFound(`Rule ${unknown}`);
    const ordered = [...ids.map((id) => byId.get(id)!), ...rules.filter((r) => !ids.includes(r.id))];
    const now = this.clock.now();
    ordered.forEach((rule, i) => {
      if (rule.position !== i + 1) ctx.em.assign(rule, { position: i + 1, updatedAt: now });
    });
    await ctx.em.flush();
    return ordered;
  }

  /**
   * The safe default every new merchant starts with: paid + contains a digital item → grant
   * downloads → send "Your downloads". Nothing is sent for an order without digital items.
   */
  async installDefaults(em: EntityManager, merchantId: string): Promise<void> {
    const now = this.clock.now();
    const merchant = em.getReference(Merchant, merchantId);
    const template = em.create(Template, {
      merchant,
      name: DOWNLOADS_TEMPLATE_NAME,
      variants: downloadsTemplateVariants(),
      fallbackLanguage: 'en',
      createdAt: now,
      updatedAt: now,
    });
    em.create(Rule, {
      merchant,
      name: DEFAULT_RULE_NAME,
      enabled: true,
      position: 1,
      trigger: 'order.paid',
      match: 'all',
      conditions: [{ code: 'contains_digital', args: { every: false } }],
      actions: [
        { code: 'grant_downloads', args: {} },
        { code: 'send_notification', args: { templateId: template.id, transport: 'email_then_channel' } },
      ],
      createdAt: now,
      updatedAt: now,
    });
    await em.flush();
  }

  private async checked(em: EntityManager, merchantId: string, input: RuleInput) {
    const parsed = parseInput(ruleSchema, input);
    const ops = await validateOperations(em, merchantId, parsed.conditions, parsed.actions, this.ports);
    return { ...parsed, ...ops };
  }

  private async own(ctx: MerchantContext, id: string): Promise<Rule> {
    const rule = await this.get(ctx, id);
    if (!rule) throw notFound('Rule');
    return rule;
  }
}
