import { z } from 'zod';
import { defineCondition } from '../operation.js';

/** The buyer's language is one of these; `de` also matches `de-AT`. */
export const buyerLanguageCondition = defineCondition({
  code: 'buyer_language',
  description: "The buyer's language is one of these",
  args: z.object({
    languages: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, 'must be a language tag')
          .transform((l) => l.toLowerCase().replace('_', '-')),
      )
      .min(1)
      .max(100),
  }),
  check: (order, _lines, args) => {
    if (!order.buyerLanguage) return false;
    const lang = order.buyerLanguage.toLowerCase().replace('_', '-');
    return args.languages.some((l) => lang === l || lang.startsWith(`${l}-`));
  },
});
