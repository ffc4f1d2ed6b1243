import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { payload } from '../graphql/payload.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { StorageConnection } from '../storage/storage-connection.entity.js';
import { ProductFile } from './product-file.entity.js';
import { ProductFilePayload, ProductFilesPayload, UnlinkProductFilePayload } from './product-file.types.js';

@Resolver(() => ProductFile)
export class ProductFileResolver {
  @FieldResolver(() => StorageConnection, { nullable: true })
  storage(@Root() file: ProductFile, @Ctx() ctx: RequestContext) {
    return ctx.loaders.storageConnection.load(file.storage.id);
  }

  @Authorized('catalog:write')
  @Mutation(() => ProductFilesPayload, {
    description: 'Links files of a storage connection to a product (all or nothing; each ref is checked).',
  })
  linkProductFiles(
    @Arg('productId', () => ID) productId: string,
    @Arg('storageConnectionId', () => ID) storageConnectionId: string,
    @Arg('refs', () => [String]) refs: string[],
    @Arg('displayNames', () => [String], { nullable: true }) displayNames: string[] | null,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('files', () =>
      ctx.services.productFiles.link(merchantContext(ctx), { productId, storageConnectionId, refs, displayNames }),
    );
  }

  @Authorized('catalog:write')
  @Mutation(() => UnlinkProductFilePayload)
  unlinkProductFile(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return payload('deletedId', () => ctx.services.productFiles.unlink(merchantContext(ctx), id));
  }

  @Authorized('catalog:write')
  @Mutation(() => ProductFilePayload, {
    description: 'Points the file at another ref of the same storage; its id (and its grants) stay.',
  })
  replaceProductFile(
    @Arg('id', () => ID) id: string,
    @Arg('ref', () => String) ref: string,
    @Arg('displayName', () => String, { nullable: true }) displayName: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('file', () => ctx.services.productFiles.replace(merchantContext(ctx), id, { ref, displayName }));
  }

  @Authorized('catalog:write')
  @Mutation(() => ProductFilesPayload)
  reorderProductFiles(
    @Arg('productId', () => ID) productId: string,
    @Arg('ids', () => [ID]) ids: string[],
    @Ctx() ctx: RequestContext,
  ) {
    return payload('files', () => ctx.services.productFiles.reorder(merchantContext(ctx), productId, ids));
  }
}
