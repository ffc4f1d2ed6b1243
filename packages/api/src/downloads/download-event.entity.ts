import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Merchant } from '../merchants/merchant.entity.js';
import { Order } from '../orders/order.entity.js';
import { DownloadGrant } from './download-grant.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export const DOWNLOAD_OUTCOMES = [
  'SERVED',
  'RESUMED',
  'LIMIT_REACHED',
  'EXPIRED',
  'REVOKED',
  'SUSPENDED',
  'INVALID_LINK',
  'STORAGE_UNAVAILABLE',
  'RANGE_NOT_SATISFIABLE',
] as const;
export type DownloadOutcome = (typeof DOWNLOAD_OUTCOMES)[number];

export const DownloadOutcomeEnum = Object.fromEntries(DOWNLOAD_OUTCOMES.map((o) => [o, o])) as {
  [K in DownloadOutcome]: K;
};
registerEnumType(DownloadOutcomeEnum, { name: 'DownloadOutcome', description: 'What a download request got.' });

/** One request to `/d/:token` that could be tied to a grant: the download log the merchant sees. */
@AreaType('downloads:read')
@ObjectType()
@Entity({ tableName: 'download_event' })
@Index({ name: 'download_event_merchant_at_idx', properties: ['merchant', 'at', 'id'] })
@Index({ name: 'download_event_order_at_idx', properties: ['order', 'at'] })
export class DownloadEvent {
  [OptionalProps]?: 'grant' | 'ip' | 'userAgent' | 'bytesSent' | 'completed' | 'range' | 'redirected';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => Order, { deleteRule: 'cascade' })
  order!: Order;

  @ManyToOne(() => DownloadGrant, { nullable: true, deleteRule: 'set null' })
  grant: DownloadGrant | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  at!: Date;

  @Field(() => String, { nullable: true, description: "Truncated when the merchant's settings ask for it." })
  @Property({ type: 'string', length: 64, nullable: true })
  ip: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 500, nullable: true })
  userAgent: string | null = null;

  @Field(() => DownloadOutcomeEnum)
  @Property({ type: 'string', length: 24 })
  outcome!: DownloadOutcome;

  @Field(() => Float, { description: 'Bytes of the file body handed to the connection.' })
  @Property({ type: new BigIntType('number') })
  bytesSent = 0;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: the whole response went out; false: the buyer went away mid-way; null: nothing streamed.',
  })
  @Property({ type: 'boolean', nullable: true })
  completed: boolean | null = null;

  @Field(() => Boolean, { description: "Sent to the storage provider's temporary URL instead of streamed." })
  @Property({ type: 'boolean' })
  redirected = false;

  @Field(() => String, { nullable: true, description: 'The Range asked for, e.g. bytes=1000-' })
  @Property({ type: 'string', length: 100, nullable: true })
  range: string | null = null;
}
