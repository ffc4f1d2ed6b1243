import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from '../orders/order.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export type PortalConsentKind = 'withdrawal_waiver';

/**
 * A buyer's consent given in the portal: for now the waiver of the EU right of withdrawal for
 * digital content, with when and from where it was given. The first consent per order and kind
 * stands; accepting again changes nothing.
 */
@AreaType('orders:read')
@ObjectType({ description: 'A consent the buyer gave in the portal (the waiver of the right of withdrawal).' })
@Entity({ tableName: 'portal_consent' })
@Unique({ name: 'portal_consent_order_kind_unique', properties: ['order', 'kind'] })
export class PortalConsent {
  [OptionalProps]?: 'ip' | 'userAgent' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Order;

  @Field(() => String, { description: 'withdrawal_waiver' })
  @Property({ type: 'string', length: 40 })
  kind!: PortalConsentKind;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  acceptedAt!: Date;

  @Field(() => String, { nullable: true, description: "The buyer's IP (truncated when the merchant asks for it)." })
  @Property({ type: 'string', length: 64, nullable: true })
  ip: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  userAgent: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
