import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Product } from '../catalog/product.entity.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import type { RequestContext } from '../graphql/request-context.js';
import { OrderEvent } from './order-event.entity.js';
import { OrderItem } from './order-item.entity.js';
import { Order } from './order.entity.js';

/** Relations of an order, each through a per-request loader (no N+1). */
@Resolver(() => Order)
export class OrderFieldResolver {
  @FieldResolver(() => [OrderItem])
  items(@Root() order: Order, @Ctx() ctx: RequestContext) {
    return ctx.loaders.orderItems.load(order.id);
  }

  @FieldResolver(() => [OrderEvent], { description: 'History, oldest first.' })
  events(@Root() order: Order, @Ctx() ctx: RequestContext) {
    return ctx.loaders.orderEvents.load(order.id);
  }

  @FieldResolver(() => ChannelConnection, { nullable: true })
  channel(@Root() order: Order, @Ctx() ctx: RequestContext) {
    return ctx.loaders.connection.load(order.connection.id);
  }
}

@Resolver(() => OrderItem)
export class OrderItemFieldResolver {
  @FieldResolver(() => Product, { nullable: true })
  product(@Root() item: OrderItem, @Ctx() ctx: RequestContext) {
    return item.product ? ctx.loaders.product.load(item.product.id) : null;
  }
}
