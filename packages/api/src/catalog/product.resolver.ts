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
import { ProductFile } from './product-file.entity.js';
import { Product } from './product.entity.js';
import {
  CreateProductInput,
  ProductConnection,
  ProductFilterInput,
  ProductPayload,
  UpdateProductInput,
} from './product.types.js';

@ArgsType()
class ProductsArgs {
  @Field(() => Int, { defaultValue: 20 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => ProductFilterInput, { nullable: true })
  filter?: ProductFilterInput | null;
}

@Resolver(() => Product)
export class ProductResolver {
  @Authorized('catalog:read')
  @Query(() => ProductConnection, {
    complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity,
  })
  async products(@Args(() => ProductsArgs) args: ProductsArgs, @Ctx() ctx: RequestContext) {
    const page = await ctx.services.products.list(
      merchantContext(ctx),
      args.filter ?? {},
      checkPageSize(args.first),
      args.after,
    );
    return toConnection(page);
  }

  @Authorized('catalog:read')
  @Query(() => Product, { nullable: true })
  product(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.products.get(merchantContext(ctx), id);
  }

  @Authorized('catalog:write')
  @Mutation(() => ProductPayload)
  createProduct(@Arg('input', () => CreateProductInput) input: CreateProductInput, @Ctx() ctx: RequestContext) {
    return payload('product', () => ctx.services.products.create(merchantContext(ctx), { ...input }));
  }

  @Authorized('catalog:write')
  @Mutation(() => ProductPayload)
  updateProduct(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateProductInput) input: UpdateProductInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('product', () => ctx.services.products.update(merchantContext(ctx), id, { ...input }));
  }

  @FieldResolver(() => [ProductFile])
  files(@Root() product: Product, @Ctx() ctx: RequestContext) {
    return ctx.loaders.productFiles.load(product.id);
  }
}
