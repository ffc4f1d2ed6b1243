import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from '../orders/order.entity.js';
import { RuleExecution } from './rule-execution.entity.js';
import { Template } from './template.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';
export type NotificationTransportKind = 'email' | 'channel';

/**
 * The outbox: one row per message, committed with the rule execution that wants it. The unique
 * dedup key makes a second row for the same purpose impossible; the row's status is claimed with a
 * conditional UPDATE so two workers never send it twice.
 */
@AreaType('rules:read')
@ObjectType()
@Entity({ tableName: 'notification' })
@Unique({ name: 'notification_dedup_unique', properties: ['dedupKey'] })
@Index({ name: 'notification_order_idx', properties: ['order', 'createdAt'] })
@Index({ name: 'notification_status_next_idx', properties: ['status', 'nextAttemptAt'] })
export class Notification {
  [OptionalProps]?:
    | 'execution'
    | 'template'
    | 'status'
    | 'attempts'
    | 'lastError'
    | 'nextAttemptAt'
    | 'claimedAt'
    | 'leaseUntil'
    | 'providerMessageId'
    | 'sentAt'
    | 'resendOf'
    | 'replyTo'
    | 'createdAt'
    | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Order;

  @ManyToOne(() => RuleExecution, { nullable: true, deleteRule: 'set null' })
  execution: RuleExecution | null = null;

  @ManyToOne(() => Template, { nullable: true, deleteRule: 'set null' })
  template: Template | null = null;

  @Field(() => String, { description: 'email or channel' })
  @Property({ type: 'string', length: 16 })
  transport!: NotificationTransportKind;

  @Field(() => String, { description: 'An email address, or the channel order id for channel messages.' })
  @Property({ type: 'string', length: 320 })
  recipient!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 20 })
  language!: string;

  /** Where replies go when not the merchant's own address (a buyer's message to the seller). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 320, nullable: true })
  replyTo: string | null = null;

  /** Subject, html and text hold portal codes as marks (portal-code-marks.ts); GraphQL shows them redacted. */
  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  html!: string;

  @Property({ type: 'text' })
  text!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  dedupKey!: string;

  @Field(() => String, { description: 'pending, sending, sent or failed' })
  @Property({ type: 'string', length: 16 })
  status: NotificationStatus = 'pending';

  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When a pending message is tried again.' })
  @Property({ type: 'datetime', nullable: true })
  nextAttemptAt: Date | null = null;

  /** When the current claim was made: it identifies the claim whose worker may record the outcome. */
  @Property({ type: 'datetime', nullable: true })
  claimedAt: Date | null = null;

  /** A `sending` row is its worker's until then; the worker renews it while it sends. */
  @Property({ type: 'datetime', nullable: true })
  leaseUntil: Date | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 300, nullable: true })
  providerMessageId: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  sentAt: Date | null = null;

  @Field(() => ID, { nullable: true, description: 'The notification this one resends.' })
  @Property({ type: 'uuid', nullable: true })
  resendOf: string | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
