import { z } from 'zod';
import { defineCondition } from '../operation.js';

/** The grand total (minor units) lies within [min, max]; optionally only in one currency. */
export const totalBetweenCondition = defineCondition({
  code: 'total_between',
  description: 'The order total lies between min and max (minor units, inclusive)',
  args: z
    .object({
      min: z.number().int().min(0).nullable().default(null),
      max: z.number().int().min(0).nullable().default(null),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .nullable()
        .default(null),
    })
    .refine((a) => a.min !== null || a.max !== null, 'give min, max or both')
    .refine((a) => a.min === null || a.max === null || a.min <= a.max, 'min must not exceed max'),
  check: (order, _lines, args) =>
    (args.currency === null || order.currency === args.currency) &&
    (args.min === null || order.total >= args.min) &&
    (args.max === null || order.total <= args.max),
});
