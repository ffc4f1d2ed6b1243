import { z } from 'zod';
import { parseInput } from '../graphql/validate.js';
import type { MerchantContext } from '../graphql/request-context.js';
import type { MerchantSettings } from '../merchants/merchant-settings.js';
import { updateSettingsSection } from '../merchants/merchant-settings.service.js';

export type PortalSettings = MerchantSettings['portal'];

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
    return updateSettingsSection(ctx, 'portal', (current) => {
      const next = { ...current };
      for (const [key, value] of Object.entries(edit)) {
        if (value === undefined) continue;
        if (value === null && key !== 'logoUrl') continue;
        (next as Record<string, unknown>)[key] = value;
      }
      return next;
    });
  }
}
