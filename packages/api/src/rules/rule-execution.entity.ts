import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from '../orders/order.entity.js';
import { Rule } from './rule.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export type ExecutionStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface ActionResult {
  code: string;
  status: 'done' | 'skipped' | 'failed';
  detail: string;
  [key: string]: unknown;
}

/**
 * One run of a rule for one order and one trigger. UNIQUE (rule, trigger key): a trigger delivered
 * twice, or dispatched again after a crash, inserts nothing and enqueues nothing.
 */
@AreaType('rules:read')
@ObjectType()
@Entity({ tableName: 'rule_execution' })
@Unique({ name: 'rule_execution_rule_trigger_unique', properties: ['rule', 'triggerKey'] })
@Index({ name: 'rule_execution_order_idx', properties: ['order', 'createdAt'] })
export class RuleExecution {
  [OptionalProps]?: 'status' | 'attempts' | 'lastError' | 'results' | 'finishedAt' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => Rule, { deleteRule: 'cascade' })
  rule!: Rule;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Order;

  @Field(() => String, { description: 'The order trigger id, or manual:<uuid> for a run by hand.' })
  @Property({ type: 'string', length: 200 })
  triggerKey!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 40 })
  trigger!: string;

  @Field(() => String, { description: 'pending, running, succeeded or failed' })
  @Property({ type: 'string', length: 16 })
  status: ExecutionStatus = 'pending';

  @Field(() => Int)
  @Property({ type: 'integer' })
  attempts = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Field(() => GraphQLJSON, { description: 'One entry per action: code, status, detail.' })
  @Property({ type: 'json' })
  results: ActionResult[] = [];

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
