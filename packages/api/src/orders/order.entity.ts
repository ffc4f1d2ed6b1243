import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AreaType } from '../graphql/area-scope.js';
import type { HubStatus } from '@handoff/shared';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { HubStatusEnum } from './order-enums.js';

/** One order in the hub, normalized from its channel; unique per (connection, external id). */
@AreaType('orders:read')
@ObjectType()
@Entity({ tableName: 'order' })
@Unique({ name: 'order_connection_external_unique', properties: ['connection', 'externalId'] })
@Index({ name: 'order_merchant_placed_idx', properties: ['merchant', 'placedAt', 'id'] })
// The portal's "send me a new link" looks orders up by address, case-insensitively.
@Index({
  name: 'order_buyer_email_lower_idx',
  expression: 'create index "order_buyer_email_lower_idx" on "order" (lower("buyer_email"))',
})
export class Order {
  [OptionalProps]?:
    | 'channelStatus'
    | 'buyerEmail'
    | 'buyerName'
    | 'buyerLanguage'
    | 'buyerCountry'
    | 'total'
    | 'taxTotal'
    | 'tags'
    | 'paidAt'
    | 'raw'
    | 'fingerprint'
    | 'createdAt'
    | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => ChannelConnection, { deleteRule: 'cascade' })
  connection!: ChannelConnection;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  externalId!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  number!: string;

  @Field(() => HubStatusEnum)
  @Property({ type: 'string', length: 24 })
  status!: HubStatus;

  @Field(() => String, { description: "The channel's own status words." })
  @Property({ type: 'string', length: 100 })
  channelStatus = '';

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 320, nullable: true })
  buyerEmail: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 300, nullable: true })
  buyerName: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 20, nullable: true })
  buyerLanguage: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 2, nullable: true })
  buyerCountry: string | null = null;

  @Field(() => String)
  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Field(() => Int, { description: 'Grand total in minor units.' })
  @Property({ type: 'integer' })
  total = 0;

  @Field(() => Int, { description: 'Tax in minor units.' })
  @Property({ type: 'integer' })
  taxTotal = 0;

  @Field(() => [String])
  @Property({ type: 'array' })
  tags: string[] = [];

  @Field(() => Date)
  @Property({ type: 'datetime' })
  placedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  paidAt: Date | null = null;

  /** The channel's modification time of the data we hold; older reports are ignored. */
  @Field(() => Date)
  @Property({ type: 'datetime' })
  channelUpdatedAt!: Date;

  @Property({ type: 'json', lazy: true })
  raw: unknown = null;

  /** SHA-256 of the normalized content: an unchanged re-import is detected without loading lines. */
  @Property({ type: 'string', length: 64 })
  fingerprint = '';

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
