import type { ZodType, ZodTypeDef } from 'zod';
import { notFound } from '@handoff/shared';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { Merchant } from './merchant.entity.js';
import { merchantSettingsSchema, type MerchantSettings } from './merchant-settings.js';

/**
 * Changes one section of the caller's merchant settings: `change` gets the current section and
 * returns the next one, which is validated with the section's schema before it is stored.
 */
export async function updateSettingsSection<K extends keyof MerchantSettings>(
  ctx: MerchantContext,
  key: K,
  change: (current: MerchantSettings[K]) => unknown,
): Promise<MerchantSettings[K]> {
  const merchant = await ctx.em.findOne(Merchant, { id: ctx.actor.merchantId });
  if (!merchant) throw notFound('Merchant');
  const schema = merchantSettingsSchema.shape[key] as unknown as ZodType<MerchantSettings[K], ZodTypeDef, unknown>;
  const section = parseInput(schema, change(merchant.settings[key]));
  merchant.settings = { ...merchant.settings, [key]: section };
  await ctx.em.flush();
  return section;
}
