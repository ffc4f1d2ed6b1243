import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Merchant } from '../merchants/merchant.entity.js';
import { ChannelConnection } from './channel-connection.entity.js';
import { AreaType } from '../graphql/area-scope.js';

/**
 * `partial`: the run hit its time budget and a follow-up run continues from the cursor.
 * `refused`: a webhook delivery arrived while the connection was disabled and imported nothing.
 */
export type SyncRunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'refused';
export type SyncTrigger = 'schedule' | 'manual' | 'webhook';

/** One import run of a connection, kept as history. */
@AreaType('channels:read')
@ObjectType()
@Entity({ tableName: 'sync_run' })
@Index({ properties: ['connection', 'startedAt'] })
export class SyncRun {
  [OptionalProps]?: 'status' | 'startedAt' | 'finishedAt' | 'pages' | 'created' | 'updated' | 'unchanged' | 'error';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => ChannelConnection, { deleteRule: 'cascade' })
  connection!: ChannelConnection;

  @Field(() => String)
  @Property({ type: 'string', length: 16 })
  trigger!: SyncTrigger;

  @Field(() => String)
  @Property({ type: 'string', length: 16 })
  status: SyncRunStatus = 'running';

  @Field(() => Date)
  @Property({ type: 'datetime' })
  startedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  finishedAt: Date | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  pages = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  created = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  updated = 0;

  @Field(() => Int)
  @Property({ type: 'integer' })
  unchanged = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  error: string | null = null;
}
