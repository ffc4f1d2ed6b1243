import { z } from 'zod';
import { defineCondition } from '../operation.js';

/** At least one (or, with `every`, each) live line is a digital product of the catalog. */
export const containsDigitalCondition = defineCondition({
  code: 'contains_digital',
  description: 'The order contains at least one digital item (or only digital items)',
  args: z.object({ every: z.boolean().default(false) }).default({}),
  check: (_order, lines, args) => {
    const live = lines.filter((l) => !l.cancelled && l.refundedQuantity < l.quantity);
    return args.every ? live.length > 0 && live.every((l) => l.digital) : live.some((l) => l.digital);
  },
});
