import { z } from 'zod';
import { defineCondition } from '../operation.js';

/** The buyer's country (ISO 3166-1 alpha-2) is one of these. */
export const buyerCountryCondition = defineCondition({
  code: 'buyer_country',
  description: "The buyer's country is one of these",
  args: z.object({
    countries: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code')
          .transform((c) => c.toUpperCase()),
      )
      .min(1)
      .max(300),
  }),
  check: (order, _lines, args) =>
    order.buyerCountry !== null && args.countries.includes(order.buyerCountry.toUpperCase()),
});
