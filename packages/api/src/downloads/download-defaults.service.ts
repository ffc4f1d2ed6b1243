import { z } from 'zod';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import type { MerchantSettings } from '../merchants/merchant-settings.js';
import { updateSettingsSection } from '../merchants/merchant-settings.service.js';

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
    return updateSettingsSection(ctx, 'downloads', (current) => ({
      ...current,
      ...Object.fromEntries(Object.entries(edit).filter(([, value]) => value !== undefined)),
    }));
  }
}
