import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { payload } from '../graphql/payload.js';
import { checkPageSize, toConnection } from '../graphql/relay.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { ACTIONS, CONDITIONS } from './registry.js';
import { RuleExecution } from './rule-execution.entity.js';
import { Rule } from './rule.entity.js';
import {
  DeleteRulePayload,
  ReorderRulesPayload,
  RuleConnection,
  RuleExecutionPayload,
  RuleInput,
  RuleOperationInfo,
  RulePayload,
  RulePreview,
} from './rule.types.js';
import type { RuleInput as RuleServiceInput } from './rule.service.js';

@ArgsType()
class RulesArgs {
  @Field(() => Int, { defaultValue: 50 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

const toInput = (input: RuleInput) => ({ ...input }) as unknown as RuleServiceInput;

@Resolver(() => Rule)
export class RuleResolver {
  @Authorized('rules:read')
  @Query(() => RuleConnection, {
    description: 'Rules by position.',
    complexity: ({ args, childComplexity }) => 1 + (args.first ?? 50) * childComplexity,
  })
  async rules(@Args(() => RulesArgs) args: RulesArgs, @Ctx() ctx: RequestContext) {
    return toConnection(await ctx.services.rules.list(merchantContext(ctx), checkPageSize(args.first), args.after));
  }

  @Authorized('rules:read')
  @Query(() => Rule, { nullable: true })
  rule(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.rules.get(merchantContext(ctx), id);
  }

  @Authorized('rules:read')
  @Query(() => [RuleOperationInfo], { description: 'Every registered condition and action.' })
  ruleOperations(): RuleOperationInfo[] {
    return [
      ...[...CONDITIONS.values()].map((c) => ({
        kind: 'condition' as const,
        code: c.code,
        description: c.description,
      })),
      ...[...ACTIONS.values()].map((a) => ({ kind: 'action' as const, code: a.code, description: a.description })),
    ];
  }

  @Authorized('rules:read', 'orders:read')
  @Query(() => [RulePreview], {
    description: 'Dry run: which rules would fire on this order and what each action would do.',
  })
  previewRules(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: RequestContext) {
    return ctx.services.ruleEngine.previewRules(merchantContext(ctx), orderId);
  }

  @Authorized('rules:write')
  @Mutation(() => RulePayload)
  createRule(@Arg('input', () => RuleInput) input: RuleInput, @Ctx() ctx: RequestContext) {
    return payload('rule', () => ctx.services.rules.create(merchantContext(ctx), toInput(input)));
  }

  @Authorized('rules:write')
  @Mutation(() => RulePayload)
  updateRule(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => RuleInput) input: RuleInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('rule', () => ctx.services.rules.update(merchantContext(ctx), id, toInput(input)));
  }

  @Authorized('rules:write')
  @Mutation(() => DeleteRulePayload)
  deleteRule(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return payload('deletedRuleId', () => ctx.services.rules.delete(merchantContext(ctx), id));
  }

  @Authorized('rules:write')
  @Mutation(() => ReorderRulesPayload, { description: 'The given rules first, in this order; the rest after them.' })
  reorderRules(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext) {
    return payload('rules', () => ctx.services.rules.reorder(merchantContext(ctx), ids));
  }

  @Authorized('rules:write', 'orders:write')
  @Mutation(() => RuleExecutionPayload, { description: 'Runs the rule on the order again (a new execution).' })
  rerunRule(
    @Arg('ruleId', () => ID) ruleId: string,
    @Arg('orderId', () => ID) orderId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('execution', () => ctx.services.ruleEngine.rerunRule(merchantContext(ctx), ruleId, orderId));
  }
}

@Resolver(() => RuleExecution)
export class RuleExecutionFieldResolver {
  @FieldResolver(() => Rule, { nullable: true })
  rule(@Root() execution: RuleExecution, @Ctx() ctx: RequestContext) {
    return ctx.loaders.rule.load(execution.rule.id);
  }
}
