import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import type { ChannelKind } from '@handoff/connectors';
import { Merchant } from '../merchants/merchant.entity.js';
import { AreaType } from '../graphql/area-scope.js';

/** One connected sales channel (a shop, a marketplace account, or the generic push channel). */
@AreaType('channels:read')
@ObjectType()
@Entity({ tableName: 'channel_connection' })
export class ChannelConnection {
  [OptionalProps]?:
    | 'settings'
    | 'credentialsEncrypted'
    | 'cursor'
    | 'cursorRunStartedAt'
    | 'syncedUntil'
    | 'schedule'
    | 'enabled'
    | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @Field(() => String)
  @Property({ type: 'string', length: 32 })
  kind!: ChannelKind;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Non-secret settings (shop domain, marketplace id). */
  @Property({ type: 'json' })
  settings: Record<string, string> = {};

  /** Secrets, AES-GCM sealed by the keyring; never leave the server. */
  @Property({ type: 'text', nullable: true, lazy: true })
  credentialsEncrypted: string | null = null;

  /** Resume point of an interrupted sync run (the connector's opaque page cursor). */
  @Property({ type: 'text', nullable: true })
  cursor: string | null = null;

  /** Start of the run that produced `cursor`: the watermark a resumed run may advance to. */
  @Property({ type: 'datetime', nullable: true })
  cursorRunStartedAt: Date | null = null;

  /** Modification time up to which every order has been imported. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  syncedUntil: Date | null = null;

  @Field(() => String, { description: 'Cron expression of the automatic sync.' })
  @Property({ type: 'string', length: 100 })
  schedule: string = '*/5 * * * *';

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  enabled: boolean = true;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
