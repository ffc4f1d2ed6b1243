import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { Merchant } from '../merchants/merchant.entity.js';
import { AreaType } from '../graphql/area-scope.js';

@AreaType('rules:read')
@ObjectType()
export class TemplateVariant {
  @Field(() => String, { description: 'BCP 47 language tag: en, de, cs, zh-CN, …' })
  language!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => String)
  html!: string;

  @Field(() => String)
  text!: string;
}

export type TemplateVariants = Record<string, { subject: string; html: string; text: string }>;

/** A message with one variant per language; the buyer's language picks one, else the fallback. */
@AreaType('rules:read')
@ObjectType()
@Entity({ tableName: 'template' })
@Unique({ name: 'template_merchant_name_unique', properties: ['merchant', 'name'] })
export class Template {
  [OptionalProps]?: 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'json' })
  variants!: TemplateVariants;

  @Field(() => String)
  @Property({ type: 'string', length: 20 })
  fallbackLanguage!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
