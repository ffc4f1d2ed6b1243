import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { payload } from '../graphql/payload.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { ChannelListing } from './channel-listing.entity.js';
import { MapChannelSkuPayload } from './channel-listing.types.js';
import { Product } from './product.entity.js';

@Resolver(() => ChannelListing)
export class ChannelListingResolver {
  @Authorized('catalog:write')
  @Mutation(() => MapChannelSkuPayload, {
    description: "Maps a channel's SKU to a product, for future imports and for existing lines without a product.",
  })
  async mapChannelSku(
    @Arg('connectionId', () => ID) connectionId: string,
    @Arg('channelSku', () => String) channelSku: string,
    @Arg('productId', () => ID) productId: string,
    @Ctx() ctx: RequestContext,
  ) {
    const { result, userErrors } = await payload('result', () =>
      ctx.services.channelListings.map(merchantContext(ctx), connectionId, channelSku, productId),
    );
    return { listing: result?.listing ?? null, updatedItems: result?.updatedItems ?? 0, userErrors };
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() listing: ChannelListing, @Ctx() ctx: RequestContext) {
    return ctx.loaders.product.load(listing.product.id);
  }

  @FieldResolver(() => ChannelConnection, { nullable: true })
  connection(@Root() listing: ChannelListing, @Ctx() ctx: RequestContext) {
    return ctx.loaders.connection.load(listing.connection.id);
  }
}
