import { z } from 'zod';
import { defineAction } from '../operation.js';

/** Grants every digital line its downloads (idempotent: lines already granted get nothing new). */
export const grantDownloadsAction = defineAction({
  code: 'grant_downloads',
  description: 'Grant downloads for the digital items',
  args: z.object({}).strict().default({}),
  describe: async (ctx) => {
    const digital = ctx.lines.filter((l) => l.digital && !l.cancelled).length;
    return `would grant downloads for ${digital} digital line(s) that have none yet`;
  },
  apply: async (ctx) => {
    const { created } = await ctx.run.grantDownloads();
    return { status: created > 0 ? 'done' : 'skipped', detail: `${created} grant(s) created`, created };
  },
});
