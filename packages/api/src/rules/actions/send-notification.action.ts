import { z } from 'zod';
import { invalidInput } from '@handoff/shared';
import { defineAction } from '../operation.js';

export const NOTIFICATION_TRANSPORTS = ['email', 'channel', 'email_then_channel'] as const;

/**
 * Renders a template for the order and puts it in the outbox, in the run's transaction. `email`
 * needs the buyer's address; `channel` the channel's messaging; `email_then_channel` uses email and
 * the channel only when no address is known.
 */
export const sendNotificationAction = defineAction({
  code: 'send_notification',
  description: 'Send a message to the buyer from a template',
  args: z.object({
    templateId: z.string().uuid(),
    transport: z.enum(NOTIFICATION_TRANSPORTS).default('email'),
  }),
  validate: async (em, merchantId, args, ports) => {
    if (!(await ports.templateExists(em, merchantId, args.templateId)))
      throw invalidInput('send_notification: the template does not exist', 'templateId');
  },
  describe: async (ctx, args) => {
    const name = (await ctx.ports.templateName(ctx.em, ctx.merchantId, args.templateId)) ?? '(deleted template)';
    const email = ctx.order.buyerEmail;
    const channelOk = await ctx.ports.channelCanMessage(ctx.em, ctx.order.connection.id);
    if (args.transport !== 'channel' && email) return `would email "${name}" to ${email}`;
    if (args.transport !== 'email' && channelOk) return `would send "${name}" through the channel's messaging`;
    return `would skip "${name}": no ${args.transport === 'email' ? 'email address' : 'way to reach the buyer'}`;
  },
  apply: (ctx, args) => ctx.run.queueNotification(args),
});
