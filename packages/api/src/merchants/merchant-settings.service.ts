import { LockMode } from '@mikro-orm/core';
import type { ZodType, ZodTypeDef } from 'zod';
import { notFound } from '@handoff/shared';
import type { MerchantContext } from '../graphql/request-context.js';
import { parseInput } from '../graphql/validate.js';
import { Merchant } from './merchant.entity.js';
import { merchantSettingsSchema, type MerchantSettings } from './merchant-settings.js';

/**
 * Changes one section of the caller's merchant settings: `change` gets the current section and
 * returns the next one, which is validated with the section's schema before it is stored. The row
 * is locked from read to write: two edits at once (of one section or two) apply one after the
 * other instead of the later one writing back what the earlier one changed.
 */
export async function updateSettingsSection<K extends keyof MerchantSettings>(
  ctx: MerchantContext,
  key: K,
  change: (current: MerchantSettings[K]) => unknown,
): Promise<MerchantSettings[K]> {
  const schema = merchantSettingsSchema.shape[key] as unknown as ZodType<MerchantSettings[K], ZodTypeDef, unknown>;
  return ctx.em.transactional(async (tx) => {
    const merchant = await tx.findOne(
      Merchant,
      { id: ctx.actor.merchantId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (!merchant) throw notFound('Merchant');
    const section = parseInput(schema, change(merchant.settings[key]));
    merchant.settings = { ...merchant.settings, [key]: section };
    return section;
  });
}
