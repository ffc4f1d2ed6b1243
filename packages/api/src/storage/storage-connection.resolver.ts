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
import { StorageConnection } from './storage-connection.entity.js';
import {
  ConnectAzureStorageInput,
  DeleteStorageConnectionPayload,
  OAuthStorageKindEnum,
  StartOAuthStoragePayload,
  StorageConnectionConnection,
  StorageConnectionPayload,
  StorageEntry,
  UpdateStorageConnectionInput,
} from './storage-connection.types.js';

@ArgsType()
class StorageConnectionsArgs {
  @Field(() => Int, { defaultValue: 20 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

/** The root a connection serves, in the provider's own terms. */
function rootOf(connection: StorageConnection): string {
  const o = connection.options;
  switch (connection.kind) {
    case 'azure-blob':
      return o.prefix ? `${o.container}/${o.prefix}` : (o.container ?? '');
    case 'google-drive':
      return o.rootFolderId ?? '';
    default:
      return o.root ?? '';
  }
}

@Resolver(() => StorageConnection)
export class StorageConnectionResolver {
  @Authorized('settings:read')
  @Query(() => StorageConnectionConnection, {
    complexity: ({ args, childComplexity }) => 1 + (args.first ?? 20) * childComplexity,
  })
  async storageConnections(
    @Args(() => StorageConnectionsArgs) args: StorageConnectionsArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const page = await ctx.services.storage.list(merchantContext(ctx), checkPageSize(args.first), args.after);
    return toConnection(page);
  }

  @Authorized('settings:read')
  @Query(() => StorageConnection, { nullable: true })
  storageConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.storage.get(merchantContext(ctx), id);
  }

  @Authorized('settings:read')
  @FieldResolver(() => String, { description: 'Local folder, container[/prefix], Dropbox folder or Drive folder id.' })
  root(@Root() connection: StorageConnection) {
    return rootOf(connection);
  }

  @Authorized('settings:read')
  @FieldResolver(() => [StorageEntry], {
    description: 'Lists a folder inside the root ("" = the root); calls the provider.',
    complexity: 50,
  })
  browse(
    @Root() connection: StorageConnection,
    @Arg('folder', () => String, { defaultValue: '' }) folder: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.storage.browse(merchantContext(ctx), connection, folder);
  }

  @Authorized('settings:write')
  @Mutation(() => StorageConnectionPayload)
  connectLocalStorage(
    @Arg('name', () => String) name: string,
    @Arg('root', () => String) root: string,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('storageConnection', () => ctx.services.storage.connectLocal(merchantContext(ctx), { name, root }));
  }

  @Authorized('settings:write')
  @Mutation(() => StorageConnectionPayload)
  connectAzureStorage(
    @Arg('name', () => String) name: string,
    @Arg('input', () => ConnectAzureStorageInput) input: ConnectAzureStorageInput,
    @Arg('delivery', () => String, { defaultValue: 'stream', description: 'redirect (SAS URL) or stream' })
    delivery: string,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('storageConnection', () =>
      ctx.services.storage.connectAzure(merchantContext(ctx), { ...input, name, delivery }),
    );
  }

  @Authorized('settings:write')
  @Mutation(() => StartOAuthStoragePayload, {
    description: 'Creates a pending Dropbox/Drive connection; the merchant consents at authorizeUrl.',
  })
  async startOAuthStorage(
    @Arg('kind', () => OAuthStorageKindEnum) kind: OAuthStorageKindEnum,
    @Arg('name', () => String) name: string,
    @Arg('root', () => String, { defaultValue: '', description: 'Dropbox folder path, or Drive folder id' })
    root: string,
    @Ctx() ctx: RequestContext,
  ) {
    const result = await payload('started', () =>
      ctx.services.storage.startOAuth(merchantContext(ctx), { kind, name, root }),
    );
    return {
      authorizeUrl: result.started?.authorizeUrl ?? null,
      storageConnection: result.started?.storageConnection ?? null,
      userErrors: result.userErrors,
    };
  }

  @Authorized('settings:write')
  @Mutation(() => StorageConnectionPayload)
  updateStorageConnection(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateStorageConnectionInput) input: UpdateStorageConnectionInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('storageConnection', () => ctx.services.storage.update(merchantContext(ctx), id, { ...input }));
  }

  @Authorized('settings:write')
  @Mutation(() => DeleteStorageConnectionPayload)
  deleteStorageConnection(
    @Arg('id', () => ID) id: string,
    @Arg('force', () => Boolean, { defaultValue: false, description: 'Also unlink the product files using it.' })
    force: boolean,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('deletedId', () => ctx.services.storage.delete(merchantContext(ctx), id, force));
  }
}
