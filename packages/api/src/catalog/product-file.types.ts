import { Field, ObjectType } from 'type-graphql';
import { UserError } from '../graphql/relay.js';
import { ProductFile } from './product-file.entity.js';

@ObjectType()
export class ProductFilesPayload {
  @Field(() => [ProductFile], { nullable: true })
  files!: ProductFile[] | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class ProductFilePayload {
  @Field(() => ProductFile, { nullable: true })
  file!: ProductFile | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class UnlinkProductFilePayload {
  @Field(() => String, { nullable: true })
  deletedId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
