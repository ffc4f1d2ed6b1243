import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { Product } from './product.entity.js';
import { AreaType } from '../graphql/area-scope.js';

/** Maps a channel's SKU to a catalog product (the same product may sell under other SKUs elsewhere). */
@AreaType('catalog:read')
@ObjectType()
@Entity({ tableName: 'channel_listing' })
@Unique({ name: 'channel_listing_connection_sku_unique', properties: ['connection', 'channelSku'] })
export class ChannelListing {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => ChannelConnection, { deleteRule: 'cascade' })
  connection!: ChannelConnection;

  @Field(() => String)
  @Property({ type: 'string', length: 120 })
  channelSku!: string;

  @ManyToOne(() => Product, { deleteRule: 'cascade' })
  product!: Product;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
