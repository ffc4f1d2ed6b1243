import { Field, Int, ObjectType } from 'type-graphql';
import { UserError } from '../graphql/relay.js';
import { ChannelListing } from './channel-listing.entity.js';

@ObjectType()
export class MapChannelSkuPayload {
  @Field(() => ChannelListing, { nullable: true })
  listing!: ChannelListing | null;

  @Field(() => Int, { description: 'Existing order lines that now point at the product.' })
  updatedItems!: number;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
