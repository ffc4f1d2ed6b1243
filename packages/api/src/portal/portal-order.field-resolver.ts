import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/request-context.js';
import { Order } from '../orders/order.entity.js';
import { PortalConsent } from './portal-consent.entity.js';

/** What the buyer consented to in the portal, shown on the merchant's order. */
@Resolver(() => Order)
export class PortalOrderFieldResolver {
  @Authorized('orders:read')
  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the buyer waived the right of withdrawal in the portal (null: not yet).',
  })
  async waiverAcceptedAt(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<Date | null> {
    return (await ctx.loaders.orderWaiver.load(order.id))?.acceptedAt ?? null;
  }

  @Authorized('orders:read')
  @FieldResolver(() => PortalConsent, { nullable: true, description: 'The waiver with its time, IP and user agent.' })
  waiverConsent(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<PortalConsent | null> {
    return ctx.loaders.orderWaiver.load(order.id);
  }
}
