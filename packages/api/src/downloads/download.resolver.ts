import { DownloadDefaultsResolver } from './download-defaults.resolver.js';
import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { ProductFile } from '../catalog/product-file.entity.js';
import { payload } from '../graphql/payload.js';
import { checkPageSize, toConnection } from '../graphql/relay.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { OrderItem } from '../orders/order-item.entity.js';
import { Order } from '../orders/order.entity.js';
import { DownloadEvent } from './download-event.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import {
  DownloadEventConnection,
  DownloadEventFilterInput,
  DownloadGrantEditInput,
  DownloadGrantPayload,
  DownloadGrantsPayload,
  DownloadLinkPayload,
  GrantDownloadsPayload,
  SuspensionConnection,
  SuspensionPayload,
} from './download.types.js';
import { Suspension } from './suspension.entity.js';

const listComplexity = ({ args, childComplexity }: { args: { first?: number }; childComplexity: number }) =>
  1 + (args.first ?? 20) * childComplexity;

@ArgsType()
class DownloadEventsArgs {
  @Field(() => Int, { defaultValue: 20 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => DownloadEventFilterInput, { nullable: true })
  filter?: DownloadEventFilterInput | null;
}

@ArgsType()
class SuspensionsArgs {
  @Field(() => Int, { defaultValue: 20 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Only suspensions in force now.' })
  activeOnly!: boolean;
}

/** The merchant's side of downloads: grants, the download log, suspensions and links. */
@Resolver(() => DownloadGrant)
export class DownloadResolver {
  @Authorized('downloads:read')
  @Query(() => DownloadEventConnection, { complexity: listComplexity })
  async downloadEvents(@Args(() => DownloadEventsArgs) args: DownloadEventsArgs, @Ctx() ctx: RequestContext) {
    const page = await ctx.services.downloadEvents.list(
      merchantContext(ctx),
      { ...args.filter },
      checkPageSize(args.first),
      args.after,
    );
    return toConnection(page);
  }

  @Authorized('downloads:read')
  @Query(() => SuspensionConnection, { complexity: listComplexity })
  async suspensions(@Args(() => SuspensionsArgs) args: SuspensionsArgs, @Ctx() ctx: RequestContext) {
    const page = await ctx.services.suspensions.list(
      merchantContext(ctx),
      checkPageSize(args.first),
      args.after,
      args.activeOnly,
    );
    return toConnection(page);
  }

  @Authorized('downloads:write')
  @Mutation(() => GrantDownloadsPayload, { description: "Grants the order's lines that have no grants yet." })
  grantDownloads(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: RequestContext) {
    return payload('result', () => ctx.services.grants.grantFor(merchantContext(ctx), orderId));
  }

  @Authorized('downloads:write')
  @Mutation(() => GrantDownloadsPayload, {
    description: 'Adds grants for files linked to the products since; keeps existing grants and counts.',
  })
  regenerateDownloadGrants(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: RequestContext) {
    return payload('result', () => ctx.services.grants.grantFor(merchantContext(ctx), orderId, true));
  }

  @Authorized('downloads:write')
  @Mutation(() => DownloadGrantPayload)
  updateDownloadGrant(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => DownloadGrantEditInput) input: DownloadGrantEditInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('grant', () => ctx.services.grants.editGrant(merchantContext(ctx), id, { ...input }));
  }

  @Authorized('downloads:write')
  @Mutation(() => DownloadGrantsPayload, { description: "Sets limit and/or expiry on all of an order's grants." })
  updateOrderDownloadGrants(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('input', () => DownloadGrantEditInput) input: DownloadGrantEditInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('grants', () => ctx.services.grants.editOrder(merchantContext(ctx), orderId, { ...input }));
  }

  @Authorized('downloads:write')
  @Mutation(() => DownloadGrantPayload, { description: 'Starts the count again (expiry unchanged).' })
  resetDownloadGrantUses(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return payload('grant', () => ctx.services.grants.resetUses(merchantContext(ctx), id));
  }

  @Authorized('downloads:write')
  @Mutation(() => DownloadGrantsPayload)
  revokeLineDownloads(@Arg('orderItemId', () => ID) orderItemId: string, @Ctx() ctx: RequestContext) {
    return payload('grants', () => ctx.services.grants.revokeLine(merchantContext(ctx), orderItemId));
  }

  @Authorized('downloads:write')
  @Mutation(() => DownloadGrantsPayload)
  restoreLineDownloads(@Arg('orderItemId', () => ID) orderItemId: string, @Ctx() ctx: RequestContext) {
    return payload('grants', () => ctx.services.grants.restoreLine(merchantContext(ctx), orderItemId));
  }

  @Authorized('downloads:write')
  @Mutation(() => DownloadLinkPayload, { description: 'A short-lived signed link to download one grant.' })
  downloadLink(@Arg('grantId', () => ID) grantId: string, @Ctx() ctx: RequestContext) {
    const mctx = merchantContext(ctx);
    return payload('link', () =>
      ctx.services.downloads.mintLink(mctx.em, grantId, { merchantId: mctx.actor.merchantId }),
    );
  }

  @Authorized('downloads:write')
  @Mutation(() => SuspensionPayload, { description: 'Ends a suspension now and resets its count.' })
  liftSuspension(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return payload('suspension', () => ctx.services.suspensions.lift(merchantContext(ctx), id));
  }

  @FieldResolver(() => ProductFile, { nullable: true })
  file(@Root() grant: DownloadGrant, @Ctx() ctx: RequestContext) {
    return ctx.loaders.productFile.load(grant.productFile.id);
  }

  @FieldResolver(() => ID)
  orderId(@Root() grant: DownloadGrant) {
    return grant.order.id;
  }

  @FieldResolver(() => ID)
  orderItemId(@Root() grant: DownloadGrant) {
    return grant.orderItem.id;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Downloads left; null = unlimited.' })
  remaining(@Root() grant: DownloadGrant) {
    return grant.limit === null ? null : Math.max(0, grant.limit - grant.used);
  }
}

@Resolver(() => DownloadEvent)
export class DownloadEventFieldResolver {
  @FieldResolver(() => ID)
  orderId(@Root() event: DownloadEvent) {
    return event.order.id;
  }

  @FieldResolver(() => ID, { nullable: true })
  grantId(@Root() event: DownloadEvent) {
    return event.grant?.id ?? null;
  }
}

@Resolver(() => Suspension)
export class SuspensionFieldResolver {
  @FieldResolver(() => ID, { nullable: true })
  orderId(@Root() suspension: Suspension) {
    return suspension.order?.id ?? null;
  }

  @FieldResolver(() => Boolean, { description: 'In force now.' })
  active(@Root() suspension: Suspension, @Ctx() ctx: RequestContext) {
    return Boolean(suspension.suspendedUntil && suspension.suspendedUntil > ctx.clock.now());
  }
}

@Resolver(() => Order)
export class OrderDownloadsResolver {
  @Authorized('downloads:read')
  @FieldResolver(() => [DownloadGrant])
  downloadGrants(@Root() order: Order, @Ctx() ctx: RequestContext) {
    return ctx.loaders.grantsByOrder.load(order.id);
  }
}

@Resolver(() => OrderItem)
export class OrderItemDownloadsResolver {
  @Authorized('downloads:read')
  @FieldResolver(() => [DownloadGrant])
  downloadGrants(@Root() item: OrderItem, @Ctx() ctx: RequestContext) {
    return ctx.loaders.grantsByItem.load(item.id);
  }
}

export const downloadResolvers = [
  DownloadResolver,
  DownloadEventFieldResolver,
  SuspensionFieldResolver,
  OrderDownloadsResolver,
  OrderItemDownloadsResolver,
  DownloadDefaultsResolver,
] as const;
