import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType, UserError } from '../graphql/relay.js';
import { DownloadEvent, DownloadOutcomeEnum, type DownloadOutcome } from './download-event.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import { Suspension } from './suspension.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export const DownloadEventConnection = ConnectionType('DownloadEvent', DownloadEvent);
export const SuspensionConnection = ConnectionType('Suspension', Suspension);

@InputType()
export class DownloadEventFilterInput {
  @Field(() => ID, { nullable: true })
  orderId?: string | null;

  @Field(() => ID, { nullable: true })
  grantId?: string | null;

  @Field(() => DownloadOutcomeEnum, { nullable: true })
  outcome?: DownloadOutcome | null;

  @Field(() => Date, { nullable: true, description: 'At or after this instant.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Before this instant.' })
  to?: Date | null;
}

@InputType({ description: 'Absent fields stay as they are; an explicit null means unlimited / never expires.' })
export class DownloadGrantEditInput {
  @Field(() => Int, { nullable: true })
  limit?: number | null;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;
}

@ObjectType()
export class DownloadGrantPayload {
  @Field(() => DownloadGrant, { nullable: true })
  grant!: DownloadGrant | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class DownloadGrantsPayload {
  @Field(() => [DownloadGrant], { nullable: true })
  grants!: DownloadGrant[] | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class GrantDownloadsResult {
  @Field(() => Int, { description: 'Grants this call added (0 when everything was granted already).' })
  created!: number;

  @Field(() => [DownloadGrant], { description: "All of the order's grants." })
  grants!: DownloadGrant[];
}

@ObjectType()
export class GrantDownloadsPayload {
  @Field(() => GrantDownloadsResult, { nullable: true })
  result!: GrantDownloadsResult | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@AreaType('downloads:read')
@ObjectType({ description: 'A short-lived signed /d/ link to one grant.' })
export class DownloadLink {
  @Field(() => String)
  url!: string;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType()
export class DownloadLinkPayload {
  @Field(() => DownloadLink, { nullable: true })
  link!: DownloadLink | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class SuspensionPayload {
  @Field(() => Suspension, { nullable: true })
  suspension!: Suspension | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
