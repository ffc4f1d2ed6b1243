import { z } from 'zod';
import { defineCondition } from '../operation.js';

/** The order carries one of these tags (`every`: all of them); case-insensitive. */
export const orderTagCondition = defineCondition({
  code: 'order_tag',
  description: 'The order carries one (or all) of these tags',
  args: z.object({
    tags: z.array(z.string().trim().min(1).max(100)).min(1).max(100),
    every: z.boolean().default(false),
  }),
  check: (order, _lines, args) => {
    const held = new Set(order.tags.map((t) => t.toLowerCase()));
    const wanted = args.tags.map((t) => t.toLowerCase());
    return args.every ? wanted.every((t) => held.has(t)) : wanted.some((t) => held.has(t));
  },
});
