import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import type { StorageKind } from '@handoff/connectors';
import { Merchant } from '../merchants/merchant.entity.js';
import { AreaType } from '../graphql/area-scope.js';

export type DeliveryMode = 'redirect' | 'stream';
export type StorageConnectionStatus = 'connected' | 'pending_authorization' | 'needs_reconnect';

/** A merchant's connected file storage (local folder, Azure Blob, Dropbox, Google Drive) and its root. */
@AreaType('settings:read')
@ObjectType()
@Entity({ tableName: 'storage_connection' })
export class StorageConnection {
  [OptionalProps]?: 'options' | 'credentialsEncrypted' | 'delivery' | 'status' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @Field(() => String)
  @Property({ type: 'string', length: 32 })
  kind!: StorageKind;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  /** Non-secret options: root folder, container, prefix, root folder id. */
  @Property({ type: 'json' })
  options: Record<string, string> = {};

  /** Secrets (connection string, OAuth tokens), AES-GCM sealed by the keyring. */
  @Property({ type: 'text', nullable: true, lazy: true })
  credentialsEncrypted: string | null = null;

  /** How buyers get the bytes: a provider temporary URL (redirect) or streamed through Handoff. */
  @Field(() => String)
  @Property({ type: 'string', length: 16 })
  delivery: DeliveryMode = 'stream';

  @Field(() => String)
  @Property({ type: 'string', length: 32 })
  status: StorageConnectionStatus = 'connected';

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
