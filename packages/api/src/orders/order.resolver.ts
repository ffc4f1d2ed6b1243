import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, Int, Query, Resolver } from 'type-graphql';
import { checkPageSize, toConnection } from '../graphql/relay.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { Order } from './order.entity.js';
import { OrderConnection, OrderFilterInput } from './order.types.js';

@ArgsType()
class OrdersArgs {
  @Field(() => Int, { defaultValue: 20 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => OrderFilterInput, { nullable: true })
  filter?: OrderFilterInput | null;
}

@Resolver(() => Order)
export class OrderResolver {
  @Authorized('orders:read')
  @Query(() => OrderConnection, { complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity })
  async orders(@Args(() => OrdersArgs) args: OrdersArgs, @Ctx() ctx: RequestContext) {
    const page = await ctx.services.orders.list(
      merchantContext(ctx),
      args.filter ?? {},
      checkPageSize(args.first),
      args.after,
    );
    return toConnection(page);
  }

  @Authorized('orders:read')
  @Query(() => Order, { nullable: true })
  order(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.orders.get(merchantContext(ctx), id);
  }
}
