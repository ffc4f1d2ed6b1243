import { Field, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../graphql/relay.js';
import { AreaType } from '../graphql/area-scope.js';

/** Order lines of one connection whose channel SKU maps to no catalog product yet. */
@AreaType('catalog:read')
@ObjectType({ description: 'A channel SKU without a product, aggregated over the lines that carry it.' })
export class UnmappedItem {
  @Field(() => String, { description: 'The SKU as the channel sends it.' })
  sku!: string;

  @Field(() => String, { description: 'A line title seen with this SKU.' })
  title!: string;

  @Field(() => Int, { description: 'Orders with at least one such line.' })
  orderCount!: number;

  @Field(() => Date, { description: 'When the newest such order was placed.' })
  lastSeenAt!: Date;

  connectionId!: string;
}

export const UnmappedItemConnection = ConnectionType('UnmappedItem', UnmappedItem);
