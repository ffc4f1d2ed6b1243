import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType, UserError } from '../graphql/relay.js';
import { Product } from './product.entity.js';

export const ProductConnection = ConnectionType('Product', Product);

@InputType()
export class ProductFilterInput {
  @Field(() => Boolean, { nullable: true })
  digital?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Matches SKU or name.' })
  search?: string | null;
}

@InputType()
export class CreateProductInput {
  @Field(() => String)
  sku!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean, { nullable: true })
  digital?: boolean;

  @Field(() => Int, { nullable: true })
  downloadLimit?: number | null;

  @Field(() => Int, { nullable: true })
  downloadValidityDays?: number | null;
}

@InputType()
export class UpdateProductInput {
  @Field(() => String, { nullable: true })
  sku?: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => Boolean, { nullable: true })
  digital?: boolean;

  @Field(() => Int, { nullable: true })
  downloadLimit?: number | null;

  @Field(() => Int, { nullable: true })
  downloadValidityDays?: number | null;
}

@ObjectType()
export class ProductPayload {
  @Field(() => Product, { nullable: true })
  product!: Product | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
