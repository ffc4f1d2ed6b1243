import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { HubStatus } from '@handoff/shared';
import { Merchant } from '../merchants/merchant.entity.js';
import { HubStatusEnum } from './order-enums.js';
import { Order } from './order.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export type OrderEventSource = 'sync' | 'webhook' | 'api' | 'merchant' | 'system' | 'buyer';

/** The order's history timeline: import, status changes, notifications, downloads, edits. */
@AreaType('orders:read')
@ObjectType()
@Entity({ tableName: 'order_event' })
@Index({ properties: ['order', 'createdAt'] })
export class OrderEvent {
  [OptionalProps]?: 'fromStatus' | 'toStatus' | 'actor' | 'data' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Order;

  @Field(() => String, { description: 'imported, status_changed, edited, …' })
  @Property({ type: 'string', length: 40 })
  type!: string;

  @Field(() => HubStatusEnum, { nullable: true })
  @Property({ type: 'string', length: 24, nullable: true })
  fromStatus: HubStatus | null = null;

  @Field(() => HubStatusEnum, { nullable: true })
  @Property({ type: 'string', length: 24, nullable: true })
  toStatus: HubStatus | null = null;

  @Field(() => String)
  @Property({ type: 'string', length: 16 })
  source!: OrderEventSource;

  @Field(() => String, { nullable: true, description: 'Who did it: an API key name, a merchant user, a process.' })
  @Property({ type: 'string', length: 200, nullable: true })
  actor: string | null = null;

  @Field(() => GraphQLJSON, { nullable: true })
  @Property({ type: 'json', nullable: true })
  data: Record<string, unknown> | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
