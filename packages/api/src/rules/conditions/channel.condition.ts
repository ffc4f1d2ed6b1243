import { z } from 'zod';
import { defineCondition } from '../operation.js';

/** The order came through one of these connections, or a channel of one of these kinds. */
export const channelCondition = defineCondition({
  code: 'channel',
  description: 'The order came from one of these connections or channel kinds',
  args: z
    .object({
      connectionIds: z.array(z.string().uuid()).max(100).default([]),
      kinds: z.array(z.string().trim().min(1).max(32)).max(50).default([]),
    })
    .refine((a) => a.connectionIds.length + a.kinds.length > 0, 'give connectionIds, kinds or both'),
  check: (order, _lines, args) =>
    args.connectionIds.includes(order.connectionId) || args.kinds.includes(order.channelKind),
});
