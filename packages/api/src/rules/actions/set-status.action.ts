import { z } from 'zod';
import { HUB_STATUSES } from '@handoff/shared';
import { Order } from '../../orders/order.entity.js';
import { defineAction, type RuleLine } from '../operation.js';

const allDigital = (lines: RuleLine[]) => {
  const live = lines.filter((l) => !l.cancelled);
  return live.length > 0 && live.every((l) => l.digital);
};

/**
 * Sets the hub status (e.g. `completed` once every line is digital). Writes the change and an
 * OrderEvent only; it raises no trigger, so rules cannot loop.
 */
export const setStatusAction = defineAction({
  code: 'set_status',
  description: 'Set the hub status of the order',
  args: z.object({
    status: z.enum(HUB_STATUSES),
    onlyIfAllDigital: z.boolean().default(false),
  }),
  describe: async (ctx, args) => {
    if (args.onlyIfAllDigital && !allDigital(ctx.lines)) return 'would skip: not every line is digital';
    if (ctx.order.status === args.status) return `would skip: the order is already ${args.status}`;
    return `would set the status from ${ctx.order.status} to ${args.status}`;
  },
  apply: async (ctx, args) => {
    if (args.onlyIfAllDigital && !allDigital(ctx.lines))
      return { status: 'skipped', detail: 'not every line is digital' };
    const from = ctx.order.status;
    if (from === args.status) return { status: 'skipped', detail: `already ${args.status}` };
    const now = ctx.clock.now();
    ctx.run.onCommit(async (tx) => {
      await tx.nativeUpdate(Order, { id: ctx.order.id }, { status: args.status, updatedAt: now });
    });
    ctx.run.event('status_changed', { ruleId: ctx.ruleId, executionId: ctx.executionId }, { from, to: args.status });
    return { status: 'done', detail: `${from} → ${args.status}` };
  },
});
