import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { HubStatus } from '@handoff/shared';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from './order.entity.js';

export const TRIGGER_KINDS = [
  'order.imported',
  'order.paid',
  'order.cancelled',
  'order.refunded',
  'order.status_changed',
  'order.line_refunded',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/**
 * Something that happened to an order that rules react to. Written in the same transaction as the
 * change; the unique dedup key makes "became paid" (and the like) happen once per order, however
 * often and by whichever path the channel reports it.
 */
@Entity({ tableName: 'order_trigger' })
@Unique({ name: 'order_trigger_dedup_unique', properties: ['order', 'dedupKey'] })
@Index({ name: 'order_trigger_undispatched_idx', properties: ['dispatchedAt', 'createdAt'] })
export class OrderTrigger {
  [OptionalProps]?: 'toStatus' | 'data' | 'createdAt' | 'dispatchedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Order;

  @Property({ type: 'string', length: 40 })
  kind!: TriggerKind;

  /** `paid`, `cancelled`, … for once-per-order kinds; unique per occurrence for the others. */
  @Property({ type: 'string', length: 200 })
  dedupKey!: string;

  @Property({ type: 'string', length: 24, nullable: true })
  toStatus: HubStatus | null = null;

  @Property({ type: 'json', nullable: true })
  data: Record<string, unknown> | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Set once every listener has handled it. */
  @Property({ type: 'datetime', nullable: true })
  dispatchedAt: Date | null = null;
}
