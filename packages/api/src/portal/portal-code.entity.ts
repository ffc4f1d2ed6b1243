import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OneToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from '../orders/order.entity.js';

/**
 * The buyer's key to an order's portal: looked up by the SHA-256 of the code (the only index), and
 * kept sealed with the keyring so the merchant can copy the current link. Rotation replaces both,
 * so the old link stops working at once.
 */
@Entity({ tableName: 'portal_code' })
@Unique({ name: 'portal_code_hash_unique', properties: ['codeHash'] })
export class PortalCode {
  [OptionalProps]?: 'rotations' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @OneToOne(() => Order, { owner: true, deleteRule: 'cascade', unique: 'portal_code_order_unique' })
  order!: Order;

  @Property({ type: 'string', length: 64 })
  codeHash!: string;

  @Property({ type: 'text' })
  codeSealed!: string;

  @Property({ type: 'integer' })
  rotations = 0;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
