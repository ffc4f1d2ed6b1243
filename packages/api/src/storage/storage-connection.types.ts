import { Field, Float, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, UserError } from '../graphql/relay.js';
import { StorageConnection } from './storage-connection.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export const StorageConnectionConnection = ConnectionType('StorageConnection', StorageConnection);

export enum OAuthStorageKindEnum {
  DROPBOX = 'dropbox',
  GOOGLE_DRIVE = 'google-drive',
}
registerEnumType(OAuthStorageKindEnum, {
  name: 'OAuthStorageKind',
  description: 'Storages connected through an OAuth consent page.',
});

/** A file or folder inside a storage connection's root. */
@AreaType('settings:read')
@ObjectType()
export class StorageEntry {
  @Field(() => String, { description: 'What linkProductFiles takes: a path or provider id inside the root.' })
  ref!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'file or folder' })
  kind!: string;

  @Field(() => Float, { nullable: true, description: 'Bytes' })
  size!: number | null;

  @Field(() => String, { nullable: true })
  contentType!: string | null;

  @Field(() => String, { nullable: true })
  checksum!: string | null;

  @Field(() => Date, { nullable: true })
  modifiedAt!: Date | null;
}

@InputType()
export class ConnectAzureStorageInput {
  @Field(() => String, { nullable: true, description: 'Either this, or accountName + accountKey.' })
  connectionString?: string | null;

  @Field(() => String, { nullable: true })
  accountName?: string | null;

  @Field(() => String, { nullable: true })
  accountKey?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Blob endpoint; default https://<account>.blob.core.windows.net',
  })
  endpoint?: string | null;

  @Field(() => String)
  container!: string;

  @Field(() => String, { nullable: true, description: 'Folder inside the container that is the root.' })
  prefix?: string | null;
}

@InputType()
export class UpdateStorageConnectionInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'redirect or stream' })
  delivery?: string | null;
}

@ObjectType()
export class StorageConnectionPayload {
  @Field(() => StorageConnection, { nullable: true })
  storageConnection!: StorageConnection | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class StartOAuthStoragePayload {
  @Field(() => String, { nullable: true })
  authorizeUrl!: string | null;

  @Field(() => StorageConnection, { nullable: true })
  storageConnection!: StorageConnection | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class DeleteStorageConnectionPayload {
  @Field(() => String, { nullable: true })
  deletedId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
