import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Merchant } from '../merchants/merchant.entity.js';
import { DownloadGrant } from './download-grant.entity.js';

/**
 * One counted use of a grant, by one token. Range requests of that token within the resume window
 * continue it instead of costing another use, as long as the bytes served under it stay within its
 * cap (see use-bytes.ts): every byte streamed is reserved here before it is sent.
 */
@Entity({ tableName: 'download_use' })
@Index({ name: 'download_use_grant_idx', properties: ['grant'] })
@Unique({
  name: 'download_use_current_token_unique',
  expression: 'create unique index "download_use_current_token_unique" on "download_use" ("token_id") where "current"',
})
export class DownloadUse {
  [OptionalProps]?: 'bytesServed' | 'byteCap' | 'current';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The token's random id (base64url of 16 bytes). */
  @Property({ type: 'string', length: 32 })
  tokenId!: string;

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => DownloadGrant, { deleteRule: 'cascade' })
  grant!: DownloadGrant;

  @Property({ type: 'datetime' })
  countedAt!: Date;

  /** The token's latest use, the only one a Range request may continue. */
  @Property({ type: 'boolean' })
  current = true;

  /** Bytes reserved for responses in flight plus bytes sent by finished ones. */
  @Property({ type: new BigIntType('number') })
  bytesServed = 0;

  /** The most bytes this use may serve; 0 for a redirect (nothing may be streamed under it). */
  @Property({ type: new BigIntType('number') })
  byteCap = 0;
}
