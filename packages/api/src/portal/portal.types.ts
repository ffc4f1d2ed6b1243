import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { AreaType } from '../graphql/area-scope.js';

export enum PortalFileState {
  AVAILABLE = 'AVAILABLE',
  EXPIRED = 'EXPIRED',
  USED_UP = 'USED_UP',
  REVOKED = 'REVOKED',
}
registerEnumType(PortalFileState, { name: 'PortalFileState' });

export enum PortalErrorCode {
  INVALID_CODE = 'INVALID_CODE',
  SUSPENDED = 'SUSPENDED',
  WAIVER_REQUIRED = 'WAIVER_REQUIRED',
  NOT_AVAILABLE = 'NOT_AVAILABLE',
  RATE_LIMITED = 'RATE_LIMITED',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
}
registerEnumType(PortalErrorCode, { name: 'PortalErrorCode' });

@AreaType('portal')
@ObjectType({ description: 'Why a portal request was refused; the portal shows it in the buyer’s language.' })
export class PortalError {
  @Field(() => PortalErrorCode)
  code!: PortalErrorCode;

  @Field(() => String)
  message!: string;

  @Field(() => Date, { nullable: true, description: 'SUSPENDED: when the suspension ends.' })
  suspendedUntil?: Date | null;
}

@AreaType('portal')
@ObjectType()
export class PortalMerchant {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  logoUrl!: string | null;

  @Field(() => String)
  accentColor!: string;

  @Field(() => String)
  introText!: string;

  @Field(() => String, { nullable: true })
  contactEmail!: string | null;
}

@AreaType('portal')
@ObjectType()
export class PortalItem {
  @Field(() => String)
  title!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int, { description: 'Minor units.' })
  unitPrice!: number;
}

@AreaType('portal')
@ObjectType()
export class PortalOrder {
  @Field(() => String)
  number!: string;

  @Field(() => Date)
  placedAt!: Date;

  @Field(() => String)
  currency!: string;

  @Field(() => Int, { description: 'Minor units.' })
  total!: number;

  @Field(() => [PortalItem])
  items!: PortalItem[];
}

@AreaType('portal')
@ObjectType()
export class PortalFile {
  @Field(() => ID)
  grantId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Float, { nullable: true, description: 'Bytes.' })
  size!: number | null;

  @Field(() => String, { nullable: true })
  contentType!: string | null;

  @Field(() => Int, { nullable: true, description: 'Downloads left; null = unlimited.' })
  remaining!: number | null;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => PortalFileState)
  state!: PortalFileState;
}

@AreaType('portal')
@ObjectType()
export class PortalLicenseKey {
  @Field(() => String)
  product!: string;

  @Field(() => String)
  key!: string;
}

@AreaType('portal')
@ObjectType()
export class PortalView {
  @Field(() => PortalOrder)
  order!: PortalOrder;

  @Field(() => PortalMerchant)
  merchant!: PortalMerchant;

  @Field(() => [PortalFile])
  files!: PortalFile[];

  @Field(() => [PortalLicenseKey])
  licenseKeys!: PortalLicenseKey[];

  @Field(() => String, { nullable: true })
  invoiceUrl!: string | null;

  @Field(() => String, { nullable: true, description: "The buyer's language on the order (BCP-47)." })
  language!: string | null;

  @Field(() => Boolean, { description: 'The merchant requires the waiver and it is not accepted yet.' })
  waiverRequired!: boolean;

  @Field(() => Date, { nullable: true })
  waiverAcceptedAt!: Date | null;
}

@AreaType('portal')
@ObjectType()
export class PortalResult {
  @Field(() => PortalView, { nullable: true })
  view?: PortalView | null;

  @Field(() => PortalError, { nullable: true })
  error?: PortalError | null;
}

@ObjectType()
export class PortalDownloadLinkPayload {
  @Field(() => String, { nullable: true, description: 'PUBLIC_URL/d/<token>, short-lived.' })
  url?: string | null;

  @Field(() => Date, { nullable: true })
  expiresAt?: Date | null;

  @Field(() => PortalError, { nullable: true })
  error?: PortalError | null;
}

@ObjectType()
export class PortalActionPayload {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => PortalError, { nullable: true })
  error?: PortalError | null;
}

const MESSAGES: Record<PortalErrorCode, string> = {
  INVALID_CODE: 'This link is not valid.',
  SUSPENDED: 'Too many invalid attempts from your network: please try again later.',
  WAIVER_REQUIRED: 'Please confirm the waiver of the right of withdrawal before downloading.',
  NOT_AVAILABLE: 'This file is not available for download.',
  RATE_LIMITED: 'Too many requests: please try again later.',
  BAD_USER_INPUT: 'Please check your input.',
};

export function portalError(code: PortalErrorCode, detail?: { message?: string; suspendedUntil?: Date }): PortalError {
  return { code, message: detail?.message ?? MESSAGES[code], suspendedUntil: detail?.suspendedUntil ?? null };
}
