import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { PortalActionPayload, PortalDownloadLinkPayload, PortalResult } from './portal.types.js';

/**
 * The buyer's portal, called by the portal server with its token (scope `portal`). Expected
 * refusals are `error { code }` data, never GraphQL errors, and never say whether anything exists.
 */
@Resolver()
export class PortalResolver {
  @Authorized('portal')
  @Query(() => PortalResult, { description: 'The page behind a portal code.' })
  portal(@Arg('code', () => String) code: string, @Ctx() ctx: RequestContext) {
    return ctx.services.portal.view(merchantContext(ctx), code);
  }

  @Authorized('portal')
  @Mutation(() => PortalDownloadLinkPayload, { description: 'A fresh short-lived download link for one file.' })
  portalDownloadLink(
    @Arg('code', () => String) code: string,
    @Arg('grantId', () => ID) grantId: string,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.portal.downloadLink(merchantContext(ctx), code, grantId);
  }

  @Authorized('portal')
  @Mutation(() => PortalActionPayload, { description: 'The buyer waives the right of withdrawal.' })
  portalAcceptWaiver(@Arg('code', () => String) code: string, @Ctx() ctx: RequestContext) {
    return ctx.services.portal.acceptWaiver(merchantContext(ctx), code);
  }

  @Authorized('portal')
  @Mutation(() => PortalActionPayload, { description: "A message to the seller, kept on the order's history." })
  portalContactSeller(
    @Arg('code', () => String) code: string,
    @Arg('message', () => String) message: string,
    @Arg('replyTo', () => String, { nullable: true }) replyTo: string | null,
    @Ctx() ctx: RequestContext,
  ) {
    return ctx.services.portalMessages.contactSeller(merchantContext(ctx), code, { message, replyTo });
  }

  @Authorized('portal')
  @Mutation(() => PortalActionPayload, {
    description: "Emails the portal link of the address's orders to it; the answer is the same either way.",
  })
  portalRequestNewLink(@Arg('email', () => String) email: string, @Ctx() ctx: RequestContext) {
    return ctx.services.portalMessages.requestNewLink(merchantContext(ctx), email);
  }
}
