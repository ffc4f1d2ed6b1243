import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { ConnectionType, UserError } from '../../graphql/relay.js';
import { Template } from '../template.entity.js';
import { AreaType } from '../../graphql/area-scope.js';

export const TemplateConnection = ConnectionType('Template', Template);

@InputType()
export class TemplateVariantInput {
  @Field(() => String, { description: 'en, de, cs, zh-CN, …' })
  language!: string;

  @Field(() => String, { description: 'Liquid; placeholders like {{ order.number }}.' })
  subject!: string;

  @Field(() => String, { description: 'Liquid; every placeholder is HTML-escaped.' })
  html!: string;

  @Field(() => String)
  text!: string;
}

@InputType()
export class TemplateInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "Used when no variant matches the buyer's language." })
  fallbackLanguage!: string;

  @Field(() => [TemplateVariantInput])
  variants!: TemplateVariantInput[];
}

@ObjectType()
export class TemplatePayload {
  @Field(() => Template, { nullable: true })
  template!: Template | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class DeleteTemplatePayload {
  @Field(() => ID, { nullable: true })
  deletedTemplateId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@AreaType('rules:read')
@ObjectType()
export class RenderedTemplate {
  @Field(() => String, { description: 'The variant used.' })
  language!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => String)
  html!: string;

  @Field(() => String)
  text!: string;
}
