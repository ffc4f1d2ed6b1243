import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Scope } from '@handoff/shared';
import { Merchant } from './merchant.entity.js';

/** A merchant's API key. Only the SHA-256 of the secret is stored; the key is shown once. */
@Entity({ tableName: 'api_key' })
export class ApiKey {
  [OptionalProps]?: 'scopes' | 'createdAt' | 'lastUsedAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** First characters of the key, so the merchant can tell keys apart. */
  @Property({ type: 'string', length: 24 })
  prefix!: string;

  @Unique({ name: 'api_key_hash_unique' })
  @Property({ type: 'string', length: 64 })
  hash!: string;

  @Property({ type: 'array' })
  scopes: Scope[] = [];

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt: Date | null = null;
}
