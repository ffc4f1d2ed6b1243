import { z } from 'zod';
import { defineAction } from '../operation.js';

/** Adds a tag to the order (nothing when it already has it). */
export const addTagAction = defineAction({
  code: 'add_tag',
  description: 'Add a tag to the order',
  args: z.object({ tag: z.string().trim().min(1).max(100) }),
  describe: async (ctx, args) =>
    ctx.order.tags.includes(args.tag) ? `would skip: already tagged "${args.tag}"` : `would add the tag "${args.tag}"`,
  apply: async (ctx, args) => {
    if (ctx.order.tags.includes(args.tag)) return { status: 'skipped', detail: `already tagged "${args.tag}"` };
    const now = ctx.clock.now();
    // Conditional: a tag added meanwhile (by the channel or the merchant) is not added twice.
    ctx.run.onCommit(async (tx) => {
      await tx
        .getConnection()
        .execute(
          `update "order" set tags = array_append(tags, ?::text), updated_at = ? where id = ? and not (? = any(tags))`,
          [args.tag, now, ctx.order.id, args.tag],
          'run',
          tx.getTransactionContext(),
        );
    });
    ctx.run.event('tag_added', { tag: args.tag, ruleId: ctx.ruleId });
    return { status: 'done', detail: `tagged "${args.tag}"` };
  },
});
