import { Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { checkPageSize, toConnection } from '../graphql/relay.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { UnmappedItem, UnmappedItemConnection } from './unmapped-item.types.js';

@ArgsType()
class UnmappedItemsArgs {
  @Field(() => Int, { defaultValue: 20 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@Resolver(() => UnmappedItem)
export class UnmappedItemResolver {
  @Authorized('catalog:read')
  @Query(() => UnmappedItemConnection, {
    description: 'Channel SKUs of order lines that map to no product, by SKU then connection.',
    complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity,
  })
  async unmappedItems(@Args(() => UnmappedItemsArgs) args: UnmappedItemsArgs, @Ctx() ctx: RequestContext) {
    const page = await ctx.services.unmappedItems.list(merchantContext(ctx), checkPageSize(args.first), args.after);
    return toConnection(page);
  }

  @FieldResolver(() => ChannelConnection)
  connection(@Root() item: UnmappedItem, @Ctx() ctx: RequestContext) {
    return ctx.loaders.connection.load(item.connectionId);
  }
}
