import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Merchant } from '../merchants/merchant.entity.js';
import { AreaType } from '../graphql/area-scope.js';

/** Something the merchant sells; digital products carry files, keys or both. */
@AreaType('catalog:read')
@ObjectType()
@Entity({ tableName: 'product' })
@Unique({ name: 'product_merchant_sku_unique', properties: ['merchant', 'sku'] })
export class Product {
  [OptionalProps]?: 'digital' | 'downloadLimit' | 'downloadValidityDays' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @Field(() => String)
  @Property({ type: 'string', length: 120 })
  sku!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  name!: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  digital: boolean = true;

  @Field(() => Int, { nullable: true, description: 'Downloads per file; null falls back to the merchant default.' })
  @Property({ type: 'integer', nullable: true })
  downloadLimit: number | null = null;

  @Field(() => Int, {
    nullable: true,
    description: 'Days a download stays available; null falls back to the merchant default.',
  })
  @Property({ type: 'integer', nullable: true })
  downloadValidityDays: number | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}
