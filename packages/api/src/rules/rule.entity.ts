import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import type { HubStatus } from '@handoff/shared';
import { Merchant } from '../merchants/merchant.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export const RULE_TRIGGERS = [
  'order.paid',
  'order.imported',
  'order.status_changed',
  'order.cancelled',
  'order.refunded',
  'manual',
] as const;
export type RuleTrigger = (typeof RULE_TRIGGERS)[number];

/** A stored condition or action: only its registered code and its arguments. */
@AreaType('rules:read')
@ObjectType()
export class RuleOperation {
  @Field(() => String)
  code!: string;

  @Field(() => GraphQLJSON)
  args!: Record<string, unknown>;
}

/** When `trigger` happens to an order and the conditions match, run the actions in order. */
@AreaType('rules:read')
@ObjectType()
@Entity({ tableName: 'rule' })
@Index({ name: 'rule_merchant_trigger_idx', properties: ['merchant', 'trigger', 'position'] })
export class Rule {
  [OptionalProps]?: 'enabled' | 'triggerStatus' | 'match' | 'conditions' | 'actions' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  enabled = true;

  @Field(() => Int, { description: 'Rules of one trigger run in ascending position.' })
  @Property({ type: 'integer' })
  position!: number;

  @Field(() => String, {
    description: 'order.paid, order.imported, order.status_changed, order.cancelled, order.refunded or manual',
  })
  @Property({ type: 'string', length: 40 })
  trigger!: RuleTrigger;

  @Field(() => String, { nullable: true, description: 'For order.status_changed: only changes to this status.' })
  @Property({ type: 'string', length: 24, nullable: true })
  triggerStatus: HubStatus | null = null;

  @Field(() => String, { description: 'all or any of the conditions' })
  @Property({ type: 'string', length: 3 })
  match: 'all' | 'any' = 'all';

  @Field(() => [RuleOperation])
  @Property({ type: 'json' })
  conditions: RuleOperation[] = [];

  @Field(() => [RuleOperation])
  @Property({ type: 'json' })
  actions: RuleOperation[] = [];

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
