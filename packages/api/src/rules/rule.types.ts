import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ConnectionType, UserError } from '../graphql/relay.js';
import { RuleExecution } from './rule-execution.entity.js';
import { Rule } from './rule.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export const RuleConnection = ConnectionType('Rule', Rule);

@InputType()
export class RuleOperationInput {
  @Field(() => String, { description: 'A registered condition or action code (see ruleOperations).' })
  code!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Arguments; missing ones take their defaults.' })
  args?: Record<string, unknown> | null;
}

@InputType()
export class RuleInput {
  @Field(() => String)
  name!: string;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean;

  @Field(() => String, {
    description: 'order.paid, order.imported, order.status_changed, order.cancelled, order.refunded or manual',
  })
  trigger!: string;

  @Field(() => String, { nullable: true, description: 'For order.status_changed: only changes to this hub status.' })
  triggerStatus?: string | null;

  @Field(() => String, { nullable: true, description: 'all (default) or any' })
  match?: string;

  @Field(() => [RuleOperationInput], { nullable: true })
  conditions?: RuleOperationInput[];

  @Field(() => [RuleOperationInput])
  actions!: RuleOperationInput[];
}

@ObjectType()
export class RulePayload {
  @Field(() => Rule, { nullable: true })
  rule!: Rule | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class DeleteRulePayload {
  @Field(() => ID, { nullable: true })
  deletedRuleId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ReorderRulesPayload {
  @Field(() => [Rule], { nullable: true })
  rules!: Rule[] | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class RuleExecutionPayload {
  @Field(() => RuleExecution, { nullable: true })
  execution!: RuleExecution | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@AreaType('rules:read')
@ObjectType()
export class ConditionPreview {
  @Field(() => String)
  code!: string;

  @Field(() => Boolean)
  matched!: boolean;

  @Field(() => String, { nullable: true })
  error!: string | null;
}

@AreaType('rules:read')
@ObjectType()
export class ActionPreview {
  @Field(() => String)
  code!: string;

  @Field(() => String, { description: 'What the action would do now, in words.' })
  summary!: string;
}

@AreaType('rules:read')
@ObjectType()
export class RulePreview {
  @Field(() => Rule)
  rule!: Rule;

  @Field(() => String, { description: 'The trigger (status_changed with its status: order.status_changed:completed).' })
  trigger!: string;

  @Field(() => Boolean, { description: 'The conditions match the order as it is now.' })
  matched!: boolean;

  @Field(() => Boolean, { description: 'The rule already ran for this trigger on this order; it will not run again.' })
  alreadyRan!: boolean;

  @Field(() => [ConditionPreview])
  conditions!: ConditionPreview[];

  @Field(() => [ActionPreview])
  actions!: ActionPreview[];
}

@AreaType('rules:read')
@ObjectType()
export class RuleOperationInfo {
  @Field(() => String)
  kind!: 'condition' | 'action';

  @Field(() => String)
  code!: string;

  @Field(() => String)
  description!: string;
}
