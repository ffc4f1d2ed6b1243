import { Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { notFound } from '@handoff/shared';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { Merchant } from './merchant.entity.js';

@Resolver(() => Merchant)
export class ViewerResolver {
  @Authorized()
  @Query(() => Merchant, { description: 'The merchant the API key belongs to.' })
  async viewer(@Ctx() ctx: RequestContext): Promise<Merchant> {
    const merchant = await ctx.services.merchants.get(ctx.em, merchantContext(ctx).actor.merchantId);
    if (!merchant) throw notFound('Merchant');
    return merchant;
  }
}
