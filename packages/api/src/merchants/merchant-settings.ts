import { z } from 'zod';

/** Merchant-level settings, stored as one JSON column and validated on every write. */
export const merchantSettingsSchema = z.object({
  portal: z
    .object({
      logoUrl: z.string().url().nullable().default(null),
      accentColor: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour')
        .default('#2454d6'),
      introText: z.string().max(2000).default(''),
      requireWithdrawalWaiver: z.boolean().default(false),
    })
    .default({}),
  downloads: z
    .object({
      /** null = unlimited */
      defaultLimit: z.number().int().positive().nullable().default(5),
      /** null = never expires */
      defaultValidityDays: z.number().int().positive().nullable().default(30),
      truncateIps: z.boolean().default(false),
    })
    .default({}),
  invoiceInPortal: z.boolean().default(true),
  languages: z.array(z.string().min(2).max(10)).min(1).default(['en']),
});

export type MerchantSettings = z.infer<typeof merchantSettingsSchema>;

export const defaultMerchantSettings = (): MerchantSettings => merchantSettingsSchema.parse({});
