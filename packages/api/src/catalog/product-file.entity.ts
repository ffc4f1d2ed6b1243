import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Merchant } from '../merchants/merchant.entity.js';
import { StorageConnection } from '../storage/storage-connection.entity.js';
import { Product } from './product.entity.js';
import { AreaType } from '../graphql/area-scope.js';

/** A file in the merchant's storage linked to a product. */
@AreaType('catalog:read')
@ObjectType()
@Entity({ tableName: 'product_file' })
export class ProductFile {
  [OptionalProps]?: 'size' | 'checksum' | 'contentType' | 'position' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Merchant, { deleteRule: 'cascade' })
  merchant!: Merchant;

  @ManyToOne(() => Product, { deleteRule: 'cascade' })
  product!: Product;

  /** The storage connection holding the file. */
  @ManyToOne(() => StorageConnection, { deleteRule: 'cascade' })
  storage!: StorageConnection;

  /** Provider id or path inside the storage connection's root. */
  @Field(() => String, { description: "Path or provider id inside the storage connection's root." })
  @Property({ type: 'text' })
  ref!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 300 })
  displayName!: string;

  @Field(() => Float, { nullable: true, description: 'Bytes' })
  @Property({ type: new BigIntType('number'), nullable: true })
  size: number | null = null;

  @Field(() => String, { nullable: true, description: 'Provider checksum with its algorithm, e.g. md5:…' })
  @Property({ type: 'string', length: 200, nullable: true })
  checksum: string | null = null;

  /** MIME type from the provider (or the file name), sent as Content-Type on download. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 200, nullable: true })
  contentType: string | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  position = 0;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
