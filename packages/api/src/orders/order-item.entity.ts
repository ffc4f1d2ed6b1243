import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { AreaType } from '../graphql/area-scope.js';
import { Product } from '../catalog/product.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from './order.entity.js';

/** One line of an order; mapped to a catalog product through its SKU when possible. */
@AreaType('orders:read')
@ObjectType()
@Entity({ tableName: 'order_item' })
// Unmapped SKUs (lines no product claims yet), listed per merchant and matched when a product appears.
@Index({
  name: 'order_item_unmapped_sku_idx',
  expression:
    'create index "order_item_unmapped_sku_idx" on "order_item" ("merchant_id", "sku") where "product_id" is null',
})
@Unique({ name: 'order_item_order_external_unique', properties: ['order', 'externalId'] })
export class OrderItem {
  [OptionalProps]?: 'sku' | 'quantity' | 'unitPrice' | 'tax' | 'refundedQuantity' | 'cancelled' | 'product';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Order;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  externalId!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 120, nullable: true })
  sku: string | null = null;

  @Field(() => String)
  @Property({ type: 'string', length: 500 })
  title!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  quantity = 1;

  @Field(() => Int, { description: 'Unit price in minor units.' })
  @Property({ type: 'integer' })
  unitPrice = 0;

  @Field(() => Int, { description: 'Tax of the line in minor units.' })
  @Property({ type: 'integer' })
  tax = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  refundedQuantity = 0;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  cancelled = false;

  @ManyToOne(() => Product, { nullable: true, deleteRule: 'set null' })
  product: Product | null = null;
}
