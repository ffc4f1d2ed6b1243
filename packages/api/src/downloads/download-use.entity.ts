import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Merchant } from '../merchants/merchant.entity.js';
import { DownloadGrant } from './download-grant.entity.js';

/**
 * The counted use a token's download is: a Range request resuming it within the resume window
 * refers to this row instead of costing another use.
 */
@Entity({ tableName: 'download_use' })
@Index({ name: 'download_use_grant_idx', properties: ['grant'] })
export class DownloadUse {
  /** The token's random id (base64url of 16 bytes). */
  @PrimaryKey({ type: 'string', length: 32 })
  tokenId!: string;

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => DownloadGrant, { deleteRule: 'cascade' })
  grant!: DownloadGrant;

  @Property({ type: 'datetime' })
  countedAt!: Date;
}
