import { z } from 'zod';
import { defineAction } from '../operation.js';

/** Grants every digital line its downloads (idempotent: lines already granted get nothing new). */
export const grantDownloadsAction = defineAction({
  code: 'grant_downloads',
  description: 'Grant downloads for the digital items',
  args: z.object({}).strict().default({}),
  describe: async (ctx) => {
    const digital = ctx.lines.filter((l) => l.digital && !l.cancelled).length;
    if (!ctx.ports.grantDownloads) return 'would fail: downloads are not available yet';
    return `would grant downloads for ${digital} digital line(s) that have none yet`;
  },
  apply: async (ctx) => {
    if (!ctx.ports.grantDownloads) throw new Error('downloads not available');
    const { created } = await ctx.ports.grantDownloads(ctx.em, ctx.order.id, {
      merchantId: ctx.merchantId,
      name: ctx.actor,
      source: 'system',
    });
    return { status: created > 0 ? 'done' : 'skipped', detail: `${created} grant(s) created`, created };
  },
});
