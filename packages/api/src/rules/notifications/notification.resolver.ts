import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { payload } from '../../graphql/payload.js';
import { merchantContext, type RequestContext } from '../../graphql/request-context.js';
import { Order } from '../../orders/order.entity.js';
import { redactPortalCodes } from '../../portal/portal-code-marks.js';
import { Notification } from '../notification.entity.js';
import { RuleExecution } from '../rule-execution.entity.js';
import {
  ClearMailSettingsPayload,
  MailSettingsInput,
  MailSettingsPayload,
  MailSettingsType,
  NotificationPayload,
} from './notification.types.js';

@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized('orders:write')
  @Mutation(() => NotificationPayload, { description: 'Sends the message again as a new notification.' })
  resendNotification(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return payload('notification', () => ctx.services.outbox.resend(merchantContext(ctx), id));
  }

  @Authorized('settings:read')
  @Query(() => MailSettingsType, { nullable: true, description: 'null: the hub’s default transport is used.' })
  mailSettings(@Ctx() ctx: RequestContext) {
    return ctx.services.mailSettings.get(merchantContext(ctx));
  }

  @Authorized('settings:write')
  @Mutation(() => MailSettingsPayload)
  setMailSettings(@Arg('input', () => MailSettingsInput) input: MailSettingsInput, @Ctx() ctx: RequestContext) {
    return payload('mailSettings', () => ctx.services.mailSettings.set(merchantContext(ctx), { ...input }));
  }

  @Authorized('settings:write')
  @Mutation(() => ClearMailSettingsPayload)
  clearMailSettings(@Ctx() ctx: RequestContext) {
    return payload('cleared', () => ctx.services.mailSettings.clear(merchantContext(ctx)));
  }
}

/** A message as stored, its portal link redacted: the working link only goes to the buyer. */
@Resolver(() => Notification)
export class NotificationFieldResolver {
  @FieldResolver(() => String)
  subject(@Root() notification: Notification) {
    return redactPortalCodes(notification.subject);
  }

  @FieldResolver(() => String)
  html(@Root() notification: Notification) {
    return redactPortalCodes(notification.html);
  }

  @FieldResolver(() => String)
  text(@Root() notification: Notification) {
    return redactPortalCodes(notification.text);
  }
}

/** The order's messages and rule runs, each through a per-request loader. */
@Resolver(() => Order)
export class OrderRulesFieldResolver {
  @FieldResolver(() => [Notification], { description: 'Messages to the buyer, oldest first.' })
  notifications(@Root() order: Order, @Ctx() ctx: RequestContext) {
    return ctx.loaders.orderNotifications.load(order.id);
  }

  @FieldResolver(() => [RuleExecution], { description: 'Rule runs on this order, oldest first.' })
  ruleExecutions(@Root() order: Order, @Ctx() ctx: RequestContext) {
    return ctx.loaders.orderRuleExecutions.load(order.id);
  }
}
