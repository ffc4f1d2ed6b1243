import { z } from 'zod';
import { OrderEvent } from '../../orders/order-event.entity.js';
import { defineAction } from '../operation.js';

/** Adds a tag to the order (nothing when it already has it). */
export const addTagAction = defineAction({
  code: 'add_tag',
  description: 'Add a tag to the order',
  args: z.object({ tag: z.string().trim().min(1).max(100) }),
  describe: async (ctx, args) =>
    ctx.order.tags.includes(args.tag) ? `would skip: already tagged "${args.tag}"` : `would add the tag "${args.tag}"`,
  apply: async (ctx, args) => {
    const tagged = await ctx.em
      .getConnection()
      .execute<{ id: string }[]>(
        `update "order" set tags = array_append(tags, ?::text), updated_at = ? where id = ? and not (? = any(tags)) returning id`,
        [args.tag, ctx.clock.now(), ctx.order.id, args.tag],
        'all',
        ctx.em.getTransactionContext(),
      );
    if (tagged.length === 0) return { status: 'skipped', detail: `already tagged "${args.tag}"` };
    ctx.em.create(OrderEvent, {
      merchant: ctx.merchantId,
      order: ctx.order.id,
      type: 'tag_added',
      source: 'system',
      actor: ctx.actor,
      data: { tag: args.tag, ruleId: ctx.ruleId },
      createdAt: ctx.clock.now(),
    });
    return { status: 'done', detail: `tagged "${args.tag}"` };
  },
});
