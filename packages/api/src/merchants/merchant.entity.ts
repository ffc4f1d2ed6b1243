import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { defaultMerchantSettings, type MerchantSettings } from './merchant-settings.js';

@ObjectType({ description: 'A seller using Handoff; every other record belongs to one.' })
@Entity({ tableName: 'merchant' })
export class Merchant {
  [OptionalProps]?: 'settings' | 'contactEmail' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Where buyers can reach the merchant.' })
  @Property({ type: 'string', length: 320, nullable: true })
  contactEmail: string | null = null;

  @Property({ type: 'json' })
  settings: MerchantSettings = defaultMerchantSettings();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
