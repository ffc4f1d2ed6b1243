import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from '../orders/order.entity.js';
import { AreaType } from '../graphql/area-scope.js';

/**
 * Invalid attempts from one IP at one target (an order), and the suspension they led to. Keyed by
 * IP + target, never IP alone: one bad actor behind a shared office NAT cannot lock out the others'
 * orders, and one IP guessing at an order cannot reach it from a fresh target.
 */
@AreaType('downloads:read')
@ObjectType()
@Entity({ tableName: 'suspension' })
@Unique({ name: 'suspension_ip_target_unique', properties: ['ip', 'target'] })
@Index({ name: 'suspension_merchant_until_idx', properties: ['merchant', 'suspendedUntil'] })
export class Suspension {
  [OptionalProps]?: 'merchant' | 'order' | 'failures' | 'suspendedUntil' | 'liftedAt' | 'liftedBy' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** null: the instance's own (unknown portal codes belong to no merchant); only operators see those. */
  @ManyToOne(() => Merchant, { nullable: true, deleteRule: 'cascade' })
  merchant: Merchant | null = null;

  @ManyToOne(() => Order, { nullable: true, deleteRule: 'cascade' })
  order: Order | null = null;

  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  ip!: string;

  /** `order:<uuid>` (download tokens), `portal` (unknown codes via the portal server) or `portal:<merchant>`. */
  @Field(() => String)
  @Property({ type: 'string', length: 120 })
  target!: string;

  @Field(() => Int, { description: 'Invalid attempts in the current window.' })
  @Property({ type: 'integer' })
  failures = 0;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  windowStartedAt!: Date;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  lastFailureAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Access from this IP to the target is refused until then.' })
  @Property({ type: 'datetime', nullable: true })
  suspendedUntil: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  liftedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'Who lifted it.' })
  @Property({ type: 'string', length: 200, nullable: true })
  liftedBy: string | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
