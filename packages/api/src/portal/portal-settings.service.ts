import { z } from 'zod';
import { notFound } from '@handoff/shared';
import { parseInput } from '../graphql/validate.js';
import type { MerchantContext } from '../graphql/request-context.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { merchantSettingsSchema, type MerchantSettings } from '../merchants/merchant-settings.js';

export type PortalSettings = MerchantSettings['portal'];

const portalSchema = merchantSettingsSchema.shape.portal.removeDefault();

/** A partial edit: absent fields stay; `logoUrl: null` removes the logo. */
const editSchema = z
  .object({
    logoUrl: z
      .string()
      .trim()
      .url()
      .max(2000)
      .refine((u) => u.startsWith('https://'), 'must be an https:// URL')
      .nullish(),
    accentColor: z.string().trim().optional(),
    introText: z.string().optional(),
    requireWithdrawalWaiver: z.boolean().optional(),
  })
  .strict();

export type PortalSettingsEdit = z.input<typeof editSchema>;

/** The portal's look and the waiver switch, stored in the merchant's settings (merchant-settings.ts). */
export class PortalSettingsService {
  async update(ctx: MerchantContext, input: PortalSettingsEdit): Promise<PortalSettings> {
    const edit = parseInput(editSchema, input);
    const merchant = await ctx.em.findOne(Merchant, { id: ctx.actor.merchantId });
    if (!merchant) throw notFound('Merchant');
    const next = { ...merchant.settings.portal };
    for (const [key, value] of Object.entries(edit)) {
      if (value === undefined) continue;
      if (value === null && key !== 'logoUrl') continue;
      (next as Record<string, unknown>)[key] = value;
    }
    const portal = parseInput(portalSchema, next);
    merchant.settings = { ...merchant.settings, portal };
    await ctx.em.flush();
    return portal;
  }
}
