import { Arg, Authorized, Ctx, Field, ID, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { payload } from '../graphql/payload.js';
import { UserError } from '../graphql/relay.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { AreaType } from '../graphql/area-scope.js';

@AreaType('orders:read')
@ObjectType({ description: "An order's personal portal link (no account needed)." })
export class PortalLinkType {
  @Field(() => ID)
  orderId!: string;

  @Field(() => String)
  url!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Int, { description: 'How often the code was replaced.' })
  rotations!: number;
}

@ObjectType()
export class PortalLinkPayload {
  @Field(() => PortalLinkType, { nullable: true })
  portalLink!: PortalLinkType | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver()
export class PortalCodeResolver {
  @Authorized('orders:write')
  @Mutation(() => PortalLinkPayload, { description: "The order's portal link, created on first request." })
  portalLink(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: RequestContext) {
    return payload('portalLink', () => ctx.services.portalCodes.portalLink(merchantContext(ctx), orderId));
  }

  @Authorized('orders:write')
  @Mutation(() => PortalLinkPayload, { description: 'A new portal code; the old link stops working at once.' })
  rotatePortalCode(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: RequestContext) {
    return payload('portalLink', () => ctx.services.portalCodes.rotatePortalCode(merchantContext(ctx), orderId));
  }
}
