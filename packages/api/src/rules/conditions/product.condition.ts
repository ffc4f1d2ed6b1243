import { z } from 'zod';
import { defineCondition } from '../operation.js';

/** Some live line is one of these products or SKUs. */
export const productCondition = defineCondition({
  code: 'product',
  description: 'The order contains one of these products or SKUs',
  args: z
    .object({
      productIds: z.array(z.string().uuid()).max(500).default([]),
      skus: z.array(z.string().trim().min(1).max(120)).max(500).default([]),
    })
    .refine((a) => a.productIds.length + a.skus.length > 0, 'give productIds, skus or both'),
  check: (_order, lines, args) =>
    lines.some(
      (l) =>
        !l.cancelled &&
        ((l.productId !== null && args.productIds.includes(l.productId)) ||
          (l.sku !== null && args.skus.includes(l.sku))),
    ),
});
