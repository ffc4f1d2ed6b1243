import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ProductFile } from '../catalog/product-file.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderItem } from '../orders/order-item.entity.js';
import { Order } from '../orders/order.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export type GrantRevokeReason = 'merchant' | 'refund' | 'cancellation';

/**
 * The right to download one file of one order line: `used` of `limit` downloads (null = unlimited)
 * until `expiresAt` (null = forever), unless revoked. `used` only ever changes through one
 * conditional UPDATE (see download-use.repository.ts), never read-modify-write.
 */
@AreaType('downloads:read')
@ObjectType()
@Entity({ tableName: 'download_grant' })
@Unique({ name: 'download_grant_item_file_unique', properties: ['orderItem', 'productFile'] })
@Index({ name: 'download_grant_order_idx', properties: ['order'] })
export class DownloadGrant {
  [OptionalProps]?: 'limit' | 'used' | 'expiresAt' | 'revokedAt' | 'revokedReason' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Order;

  @ManyToOne(() => OrderItem, { deleteRule: 'cascade' })
  orderItem!: OrderItem;

  @ManyToOne(() => ProductFile, { deleteRule: 'cascade' })
  productFile!: ProductFile;

  @Field(() => Int, { nullable: true, description: 'Downloads allowed; null = unlimited.' })
  @Property({ type: 'integer', fieldName: 'download_limit', nullable: true })
  limit: number | null = null;

  @Field(() => Int, { description: 'Downloads counted so far.' })
  @Property({ type: 'integer' })
  used = 0;

  @Field(() => Date, { nullable: true, description: 'Downloads are refused from this instant; null = never.' })
  @Property({ type: 'datetime', nullable: true })
  expiresAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'merchant, refund or cancellation' })
  @Property({ type: 'string', length: 20, nullable: true })
  revokedReason: GrantRevokeReason | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
