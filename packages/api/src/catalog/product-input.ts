import { z } from 'zod';

const limit = z.number().int().min(1).max(1_000_000).nullable();
const validityDays = z.number().int().min(1).max(36_500).nullable();

export const createProductSchema = z.object({
  sku: z
    .string()
    .trim()
    .min(1)
    .max(120)
    .regex(/^[^\s]+$/, 'must not contain spaces'),
  name: z.string().trim().min(1).max(300),
  digital: z.boolean().default(true),
  downloadLimit: limit.default(null),
  downloadValidityDays: validityDays.default(null),
});

export const updateProductSchema = createProductSchema.partial().extend({
  downloadLimit: limit.optional(),
  downloadValidityDays: validityDays.optional(),
});

export type CreateProductInput = z.input<typeof createProductSchema>;
export type UpdateProductInput = z.input<typeof updateProductSchema>;
