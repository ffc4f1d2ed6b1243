import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, UserError } from '../graphql/relay.js';
import { ChannelConnection } from './channel-connection.entity.js';
import { SyncRun } from './sync-run.entity.js';

export enum ConnectionHealthEnum {
  NEVER_SYNCED = 'NEVER_SYNCED',
  OK = 'OK',
  FAILING = 'FAILING',
  DISABLED = 'DISABLED',
}
registerEnumType(ConnectionHealthEnum, {
  name: 'ConnectionHealth',
  description: 'DISABLED when switched off; otherwise from the latest sync run (generic connections are always OK).',
});

export const ChannelConnectionConnection = ConnectionType('ChannelConnection', ChannelConnection);
export const SyncRunConnection = ConnectionType('SyncRun', SyncRun);

@InputType()
export class CreateChannelConnectionInput {
  @Field(() => String, { description: 'shopify, woocommerce, amazon, ebay, etsy, shopware or generic.' })
  kind!: string;

  @Field(() => String)
  name!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Non-secret settings: a JSON object of strings.' })
  settings?: unknown;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description: 'Secrets (tokens, keys): a JSON object of strings. Stored encrypted, never returned.',
  })
  credentials?: unknown;

  @Field(() => String, { nullable: true, description: 'Cron expression; default every 5 minutes.' })
  schedule?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}

@InputType()
export class UpdateChannelConnectionInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => GraphQLJSON, { nullable: true })
  settings?: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: 'Replaces all stored credentials when given.' })
  credentials?: unknown;

  @Field(() => String, { nullable: true })
  schedule?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;
}

@ObjectType()
export class ChannelConnectionPayload {
  @Field(() => ChannelConnection, { nullable: true })
  connection!: ChannelConnection | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class DeleteChannelConnectionPayload {
  @Field(() => ID, { nullable: true })
  deletedId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class TestChannelConnectionPayload {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class SyncConnectionPayload {
  @Field(() => Boolean, { description: 'False when a sync of this connection is already queued.' })
  queued!: boolean;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
