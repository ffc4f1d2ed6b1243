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
import { GraphQLJSON } from 'graphql-scalars';
import { payload } from '../graphql/payload.js';
import { checkPageSize, toConnection } from '../graphql/relay.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { ChannelConnection } from './channel-connection.entity.js';
import {
  ChannelConnectionConnection,
  ChannelConnectionPayload,
  ConnectionHealthEnum,
  CreateChannelConnectionInput,
  DeleteChannelConnectionPayload,
  SyncConnectionPayload,
  SyncRunConnection,
  TestChannelConnectionPayload,
  UpdateChannelConnectionInput,
} from './channel-connection.types.js';
import type { CreateConnectionInput, UpdateConnectionInput } from './connection-input.js';
import { SyncRun } from './sync-run.entity.js';

@ArgsType()
class PageArgs {
  @Field(() => Int, { defaultValue: 20 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

const pageComplexity = ({ args, childComplexity }: { args: { first?: number }; childComplexity: number }) =>
  1 + (args.first ?? 20) * childComplexity;

@Resolver(() => ChannelConnection)
export class ChannelConnectionResolver {
  @Authorized('channels:read')
  @Query(() => ChannelConnectionConnection, { complexity: pageComplexity })
  async channelConnections(@Args(() => PageArgs) args: PageArgs, @Ctx() ctx: RequestContext) {
    const page = await ctx.services.connections.list(merchantContext(ctx), checkPageSize(args.first), args.after);
    return toConnection(page);
  }

  @Authorized('channels:read')
  @Query(() => ChannelConnection, { nullable: true })
  channelConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return ctx.services.connections.get(merchantContext(ctx), id);
  }

  @Authorized('channels:write')
  @Mutation(() => ChannelConnectionPayload)
  createChannelConnection(
    @Arg('input', () => CreateChannelConnectionInput) input: CreateChannelConnectionInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('connection', () =>
      ctx.services.connections.create(merchantContext(ctx), { ...input } as CreateConnectionInput),
    );
  }

  @Authorized('channels:write')
  @Mutation(() => ChannelConnectionPayload)
  updateChannelConnection(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateChannelConnectionInput) input: UpdateChannelConnectionInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('connection', () =>
      ctx.services.connections.update(merchantContext(ctx), id, { ...input } as UpdateConnectionInput),
    );
  }

  @Authorized('channels:write')
  @Mutation(() => DeleteChannelConnectionPayload)
  deleteChannelConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return payload('deletedId', () => ctx.services.connections.delete(merchantContext(ctx), id));
  }

  @Authorized('channels:write')
  @Mutation(() => TestChannelConnectionPayload, { description: 'One authenticated call to the channel.' })
  async testChannelConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    const { result, userErrors } = await payload('result', () =>
      ctx.services.connections.test(merchantContext(ctx), id),
    );
    return { ok: result?.ok ?? false, message: result?.message ?? null, userErrors };
  }

  @Authorized('channels:write')
  @Mutation(() => SyncConnectionPayload, { description: 'Queues a sync now ("sync now").' })
  async syncConnection(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    const { queued, userErrors } = await payload('queued', () =>
      ctx.services.connections.syncNow(merchantContext(ctx), id),
    );
    return { queued: queued ?? false, userErrors };
  }

  @Authorized('channels:read')
  @FieldResolver(() => GraphQLJSON, { description: 'Non-secret settings.' })
  settings(@Root() connection: ChannelConnection) {
    return connection.settings;
  }

  @Authorized('channels:read')
  @FieldResolver(() => Boolean, { description: 'Whether credentials are stored (they are never returned).' })
  hasCredentials(@Root() connection: ChannelConnection, @Ctx() ctx: RequestContext) {
    return ctx.loaders.connectionHasCredentials.load(connection.id);
  }

  @Authorized('channels:read')
  @FieldResolver(() => String, { nullable: true, description: 'Where the channel delivers webhooks, if it sends any.' })
  webhookUrl(@Root() connection: ChannelConnection, @Ctx() ctx: RequestContext) {
    return ctx.services.connections.webhookUrl(connection);
  }

  @Authorized('channels:read')
  @FieldResolver(() => SyncRun, { nullable: true })
  lastRun(@Root() connection: ChannelConnection, @Ctx() ctx: RequestContext) {
    return ctx.loaders.latestSyncRun.load(connection.id);
  }

  @Authorized('channels:read')
  @FieldResolver(() => ConnectionHealthEnum)
  async health(@Root() connection: ChannelConnection, @Ctx() ctx: RequestContext) {
    return ctx.services.connections.health(connection, await ctx.loaders.latestSyncRun.load(connection.id));
  }

  @Authorized('channels:read')
  @FieldResolver(() => SyncRunConnection, { description: 'Sync history, newest first.', complexity: pageComplexity })
  async syncRuns(
    @Root() connection: ChannelConnection,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const page = await ctx.services.connections.syncRuns(
      merchantContext(ctx),
      connection.id,
      checkPageSize(args.first),
      args.after,
    );
    return toConnection(page);
  }
}
