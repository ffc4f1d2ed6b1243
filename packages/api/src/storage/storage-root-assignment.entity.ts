import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Merchant } from '../merchants/merchant.entity.js';

/**
 * A folder the operator gave one merchant (`pnpm handoff allow-storage-root`): besides its own
 * `<root>/<merchant id>` folders, the only places that merchant may connect as local storage.
 */
@Entity({ tableName: 'storage_root_assignment' })
@Unique({ properties: ['merchant', 'path'] })
export class StorageRootAssignment {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  /** The folder's real path (symlinks resolved) when it was assigned. */
  @Property({ type: 'text' })
  path!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
