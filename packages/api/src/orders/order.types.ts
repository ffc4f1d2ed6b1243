import { Field, ID, InputType } from 'type-graphql';
import type { HubStatus } from '@handoff/shared';
import { ConnectionType } from '../graphql/relay.js';
import { HubStatusEnum } from './order-enums.js';
import { Order } from './order.entity.js';

export const OrderConnection = ConnectionType('Order', Order);

@InputType()
export class OrderFilterInput {
  @Field(() => [HubStatusEnum], { nullable: true })
  statuses?: HubStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Only orders from this channel connection.' })
  connectionId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Paid at or after this instant.' })
  paidFrom?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Paid before this instant.' })
  paidTo?: Date | null;

  @Field(() => String, { nullable: true, description: 'Matches the order number or the buyer email.' })
  search?: string | null;
}
