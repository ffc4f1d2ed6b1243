import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Resolver,
  Root,
} from 'type-graphql';
import { payload } from '../graphql/payload.js';
import { UserError } from '../graphql/relay.js';
import { merchantContext, type RequestContext } from '../graphql/request-context.js';
import { Merchant } from '../merchants/merchant.entity.js';
import type { DownloadDefaults } from './download-defaults.service.js';
import { AreaType } from '../graphql/area-scope.js';

@AreaType('settings:read')
@ObjectType({ description: 'Download limits used when a product sets none, and how IPs are stored.' })
export class DownloadSettingsType {
  @Field(() => Int, { nullable: true, description: 'Downloads per file; null = unlimited.' })
  defaultLimit!: number | null;

  @Field(() => Int, { nullable: true, description: 'Days a download stays available; null = never expires.' })
  defaultValidityDays!: number | null;

  @Field(() => Boolean, { description: 'Store download and consent IPs truncated (/24, /48) for GDPR.' })
  truncateIps!: boolean;
}

@InputType({ description: 'Absent fields stay as they are; null means unlimited / never expires.' })
export class DownloadSettingsInput {
  @Field(() => Int, { nullable: true })
  defaultLimit?: number | null;

  @Field(() => Int, { nullable: true })
  defaultValidityDays?: number | null;

  @Field(() => Boolean, { nullable: true })
  truncateIps?: boolean;
}

@ObjectType()
export class DownloadSettingsPayload {
  @Field(() => DownloadSettingsType, { nullable: true })
  downloadSettings!: DownloadDefaults | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@Resolver(() => Merchant)
export class DownloadDefaultsResolver {
  @Authorized('settings:read')
  @FieldResolver(() => DownloadSettingsType)
  downloadSettings(@Root() merchant: Merchant): DownloadDefaults {
    return merchant.settings.downloads;
  }

  @Authorized('settings:write')
  @Mutation(() => DownloadSettingsPayload)
  updateDownloadSettings(
    @Arg('input', () => DownloadSettingsInput) input: DownloadSettingsInput,
    @Ctx() ctx: RequestContext,
  ) {
    return payload('downloadSettings', () => ctx.services.downloadDefaults.update(merchantContext(ctx), { ...input }));
  }
}
