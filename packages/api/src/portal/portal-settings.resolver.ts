import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  InputType,
  Mutation,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import { payload } from '../graphql/payload.js';
import { UserError } from '../graphql/relay.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { Merchant } from '../merchants/merchant.entity.js';
import type { PortalSettings } from './portal-settings.service.js';
import { AreaType } from '../graphql/area-scope.js';

@AreaType('settings:read')
@ObjectType({ description: "How the buyer's portal looks, and whether it asks for the withdrawal waiver." })
export class PortalSettingsType {
  @Field(() => String, { nullable: true, description: 'https:// only.' })
  logoUrl!: string | null;

  @Field(() => String, { description: '#rrggbb' })
  accentColor!: string;

  @Field(() => String)
  introText!: string;

  @Field(() => Boolean, {
    description: 'Before the first download the buyer confirms the waiver of the EU right of withdrawal.',
  })
  requireWithdrawalWaiver!: boolean;
}

@InputType({ description: 'Absent fields stay as they are; logoUrl: null removes the logo.' })
export class PortalSettingsInput {
  @Field(() => String, { nullable: true })
  logoUrl?: string | null;

  @Field(() => String, { nullable: true })
  accentColor?: string | null;

  @Field(() => String, { nullable: true })
  introText?: string | null;

  @Field(() => Boolean, { nullable: true })
  requireWithdrawalWaiver?: boolean | null;
}

@ObjectType()
export class PortalSettingsPayload {
  @Field(() => PortalSettingsType, { nullable: true })
  portalSettings!: PortalSettings | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => Merchant)
export class PortalSettingsResolver {
  @Authorized('settings:read')
  @FieldResolver(() => PortalSettingsType)
  portalSettings(@Root() merchant: Merchant): PortalSettings {
    return merchant.settings.portal;
  }

  @Authorized('settings:write')
  @Mutation(() => PortalSettingsPayload)
  updatePortalSettings(
    @Arg('input', () => PortalSettingsInput) input: PortalSettingsInput,
    @Ctx() ctx: RequestContext,
  ) {
    const edit = {
      ...(input.logoUrl !== undefined && { logoUrl: input.logoUrl }),
      ...(input.accentColor != null && { accentColor: input.accentColor }),
      ...(input.introText != null && { introText: input.introText }),
      ...(input.requireWithdrawalWaiver != null && { requireWithdrawalWaiver: input.requireWithdrawalWaiver }),
    };
    return payload('portalSettings', () => ctx.services.portalSettings.update(merchantContext(ctx), edit));
  }
}
