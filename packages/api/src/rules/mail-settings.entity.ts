import { randomUUID } from 'node:crypto';
import { Entity, OneToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Merchant } from '../merchants/merchant.entity.js';

/** What the sealed column holds (AES-GCM through the keyring). */
export interface SmtpSecret {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  password: string | null;
}

/** A merchant's own SMTP server and sender; absent → the hub's default transport. */
@Entity({ tableName: 'mail_settings' })
export class MailSettings {
  [OptionalProps]?: 'replyTo' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @OneToOne(() => Merchant, { owner: true, deleteRule: 'cascade', unique: 'mail_settings_merchant_unique' })
  merchant!: Merchant;

  /** SmtpSecret, encrypted: host and user name too, not only the password. */
  @Property({ type: 'text' })
  smtpSealed!: string;

  @Property({ type: 'string', length: 320 })
  fromAddress!: string;

  @Property({ type: 'string', length: 200 })
  fromName!: string;

  @Property({ type: 'string', length: 320, nullable: true })
  replyTo: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
