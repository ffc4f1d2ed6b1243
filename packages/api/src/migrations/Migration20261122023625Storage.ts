import { Migration } from '@mikro-orm/migrations';

export class Migration20261122023625Storage extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "storage_connection" ("id" uuid not null, "merchant_id" uuid not null, "kind" varchar(32) not null, "name" varchar(200) not null, "options" jsonb not null, "credentials_encrypted" text null, "delivery" varchar(16) not null default 'stream', "status" varchar(32) not null default 'connected', "created_at" timestamptz not null, constraint "storage_connection_pkey" primary key ("id"));`);

    this.addSql(`alter table "storage_connection" add constraint "storage_connection_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "product_file" drop column "storage_connection_id";`);

    this.addSql(`alter table "product_file" add column "storage_id" uuid not null;`);
    this.addSql(`alter table "product_file" add constraint "product_file_storage_id_foreign" foreign key ("storage_id") references "storage_connection" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "product_file" drop constraint "product_file_storage_id_foreign";`);

    this.addSql(`drop table if exists "storage_connection" cascade;`);

    this.addSql(`alter table "product_file" drop column "storage_id";`);

    this.addSql(`alter table "product_file" add column "storage_connection_id" uuid null;`);
  }

}
