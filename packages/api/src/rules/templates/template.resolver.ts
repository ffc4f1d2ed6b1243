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
import { payload } from '../../graphql/payload.js';
import { checkPageSize, toConnection } from '../../graphql/relay.js';
import { merchantContext, type RequestContext } from '../../graphql/request-context.js';
import { Template, TemplateVariant } from '../template.entity.js';
import { variantList } from './template.service.js';
import {
  DeleteTemplatePayload,
  RenderedTemplate,
  TemplateConnection,
  TemplateInput,
  TemplatePayload,
} from './template.types.js';

@ArgsType()
class TemplatesArgs {
  @Field(() => Int, { defaultValue: 50 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

const toInput = (input: TemplateInput) => ({ ...input, variants: input.variants.map((v) => ({ ...v })) });

@Resolver(() => Template)
export class TemplateResolver {
  @Authorized('rules:read')
  @Query(() => TemplateConnection, {
    complexity: ({ args, childComplexity }) => 1 + (args.first ?? 50) * childComplexity,
  })
  async templates(@Args(() => TemplatesArgs) args: TemplatesArgs, @Ctx() ctx: RequestContext) {
    return toConnection(await ctx.services.templates.list(merchantContext(ctx), checkPageSize(args.first), args.after));
  }

  @Authorized('rules:read')
  @Query(() => Template, { nullable: true })
  template(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.templates.get(merchantContext(ctx), id);
  }

  @Authorized('rules:read', 'orders:read')
  @Query(() => RenderedTemplate, { description: "A preview with the order's real data (nothing is sent or stored)." })
  renderTemplate(
    @Arg('templateId', () => ID) templateId: string,
    @Arg('orderId', () => ID) orderId: string,
    @Arg('language', () => String, { nullable: true }) language: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.templates.render(merchantContext(ctx), templateId, orderId, language);
  }

  @Authorized('rules:write')
  @Mutation(() => TemplatePayload)
  createTemplate(@Arg('input', () => TemplateInput) input: TemplateInput, @Ctx() ctx: RequestContext) {
    return payload('template', () => ctx.services.templates.create(merchantContext(ctx), toInput(input)));
  }

  @Authorized('rules:write')
  @Mutation(() => TemplatePayload)
  updateTemplate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => TemplateInput) input: TemplateInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('template', () => ctx.services.templates.update(merchantContext(ctx), id, toInput(input)));
  }

  @Authorized('rules:write')
  @Mutation(() => DeleteTemplatePayload)
  deleteTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return payload('deletedTemplateId', () => ctx.services.templates.delete(merchantContext(ctx), id));
  }

  @FieldResolver(() => [TemplateVariant])
  variants(@Root() template: Template): TemplateVariant[] {
    return variantList(template);
  }
}
