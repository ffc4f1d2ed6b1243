import { Field, InputType, Int, ObjectType } from 'type-graphql';
import type { HubStatus } from '@handoff/shared';
import { UserError } from '../../graphql/relay.js';
import { HubStatusEnum } from '../order-enums.js';

@InputType({ description: 'Buyer of a pushed order.' })
export class GenericBuyerInput {
  @Field(() => String, { nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Language tag, e.g. de.' })
  language?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO-3166 alpha-2, e.g. AT.' })
  country?: string | null;
}

@InputType({ description: 'One line of a pushed order. Money in integer minor units.' })
export class GenericOrderItemInput {
  @Field(() => String, { nullable: true, description: 'Default: `<order externalId>:<position>`.' })
  externalId?: string | null;

  @Field(() => String, { nullable: true, description: 'Maps the line to a product (listing or catalog SKU).' })
  sku?: string | null;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int, { description: 'Minor units.' })
  unitPrice!: number;

  @Field(() => Int, { nullable: true, description: 'Tax of the line in minor units.' })
  tax?: number | null;
}

@InputType({ description: 'An order pushed by an integrator; idempotent by externalId per connection.' })
export class GenericOrderInput {
  @Field(() => String)
  externalId!: string;

  @Field(() => String, { nullable: true, description: 'Shown to merchant and buyer; default externalId.' })
  number?: string | null;

  @Field(() => HubStatusEnum, { nullable: true, description: 'Default PAID.' })
  status?: HubStatus | null;

  @Field(() => GenericBuyerInput, { nullable: true })
  buyer?: GenericBuyerInput | null;

  @Field(() => String, { description: 'ISO-4217, e.g. EUR.' })
  currency!: string;

  @Field(() => [GenericOrderItemInput])
  items!: GenericOrderItemInput[];

  @Field(() => String, { nullable: true, description: 'ISO-8601 instant; default now.' })
  createdAt?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'ISO-8601 instant of the last change; default createdAt. Older than the stored order = stale.',
  })
  updatedAt?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;
}

@ObjectType()
export class ImportLineError {
  @Field(() => Int, { description: 'CSV line (1-based) the problem is on.' })
  line!: number;

  @Field(() => String)
  message!: string;
}

@ObjectType()
export class ImportOrdersPayload {
  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int, { description: 'Already held exactly like this (a repeated call).' })
  unchanged!: number;

  @Field(() => Int, { description: 'Older than what the hub holds (updatedAt); ignored.' })
  stale!: number;

  @Field(() => [ImportLineError], { description: 'CSV rows left out; their whole orders were not imported.' })
  lineErrors!: ImportLineError[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}
