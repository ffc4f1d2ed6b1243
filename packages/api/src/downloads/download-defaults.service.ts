import { z } from 'zod';
import { notFound } from '@handoff/shared';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { merchantSettingsSchema, type MerchantSettings } from '../merchants/merchant-settings.js';

export type DownloadDefaults = MerchantSettings['downloads'];

/** Absent fields stay; `null` means unlimited / never expires. */
const editSchema = z
  .object({
    defaultLimit: z.number().int().min(1).max(1_000_000).nullable().optional(),
    defaultValidityDays: z.number().int().min(1).max(36_500).nullable().optional(),
    truncateIps: z.boolean().optional(),
  })
  .strict();

export type DownloadDefaultsEdit = z.input<typeof editSchema>;

/** The merchant's download defaults (used when a product sets none) and the GDPR IP switch. */
export class DownloadDefaultsService {
  async update(ctx: MerchantContext, input: DownloadDefaultsEdit): Promise<DownloadDefaults> {
    const edit = parseInput(editSchema, input);
    const merchant = await ctx.em.findOne(Merchant, { id: ctx.actor.merchantId });
    if (!merchant) throw notFound('Merchant');
    const next = { ...merchant.settings.downloads };
    for (const [key, value] of Object.entries(edit))
      if (value !== undefined) (next as Record<string, unknown>)[key] = value;
    const downloads = parseInput(merchantSettingsSchema.shape.downloads.removeDefault(), next);
    merchant.settings = { ...merchant.settings, downloads };
    await ctx.em.flush();
    return downloads;
  }
}
