import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000000Initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "merchant" ("id" uuid not null, "name" varchar(200) not null, "contact_email" varchar(320) null, "settings" jsonb not null, "created_at" timestamptz not null, constraint "merchant_pkey" primary key ("id"));`);

    this.addSql(`create table "channel_connection" ("id" uuid not null, "merchant_id" uuid not null, "kind" varchar(32) not null, "name" varchar(200) not null, "settings" jsonb not null, "credentials_encrypted" text null, "cursor" text null, "synced_until" timestamptz null, "schedule" varchar(100) not null default '*/5 * * * *', "enabled" boolean not null default true, "created_at" timestamptz not null, constraint "channel_connection_pkey" primary key ("id"));`);

    this.addSql(`create table "api_key" ("id" uuid not null, "merchant_id" uuid not null, "name" varchar(200) not null, "prefix" varchar(24) not null, "hash" varchar(64) not null, "scopes" text[] not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_key_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_key" add constraint "api_key_hash_unique" unique ("hash");`);

    this.addSql(`create table "order" ("id" uuid not null, "merchant_id" uuid not null, "connection_id" uuid not null, "external_id" varchar(200) not null, "number" varchar(100) not null, "status" varchar(24) not null, "channel_status" varchar(100) not null default '', "buyer_email" varchar(320) null, "buyer_name" varchar(300) null, "buyer_language" varchar(20) null, "buyer_country" varchar(2) null, "currency" varchar(3) not null, "total" int not null default 0, "tax_total" int not null default 0, "tags" text[] not null, "placed_at" timestamptz not null, "paid_at" timestamptz null, "channel_updated_at" timestamptz not null, "raw" jsonb null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "order_pkey" primary key ("id"));`);
    this.addSql(`create index "order_merchant_placed_idx" on "order" ("merchant_id", "placed_at", "id");`);
    this.addSql(`alter table "order" add constraint "order_connection_external_unique" unique ("connection_id", "external_id");`);

    this.addSql(`create table "order_event" ("id" uuid not null, "merchant_id" uuid not null, "order_id" uuid not null, "type" varchar(40) not null, "from_status" varchar(24) null, "to_status" varchar(24) null, "source" varchar(16) not null, "actor" varchar(200) null, "data" jsonb null, "created_at" timestamptz not null, constraint "order_event_pkey" primary key ("id"));`);
    this.addSql(`create index "order_event_order_id_created_at_index" on "order_event" ("order_id", "created_at");`);

    this.addSql(`create table "product" ("id" uuid not null, "merchant_id" uuid not null, "sku" varchar(120) not null, "name" varchar(300) not null, "digital" boolean not null default true, "download_limit" int null, "download_validity_days" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "product_pkey" primary key ("id"));`);
    this.addSql(`alter table "product" add constraint "product_merchant_sku_unique" unique ("merchant_id", "sku");`);

    this.addSql(`create table "order_item" ("id" uuid not null, "merchant_id" uuid not null, "order_id" uuid not null, "external_id" varchar(200) not null, "sku" varchar(120) null, "title" varchar(500) not null, "quantity" int not null default 1, "unit_price" int not null default 0, "tax" int not null default 0, "refunded_quantity" int not null default 0, "cancelled" boolean not null default false, "product_id" uuid null, constraint "order_item_pkey" primary key ("id"));`);
    this.addSql(`alter table "order_item" add constraint "order_item_order_external_unique" unique ("order_id", "external_id");`);

    this.addSql(`create table "channel_listing" ("id" uuid not null, "merchant_id" uuid not null, "connection_id" uuid not null, "channel_sku" varchar(120) not null, "product_id" uuid not null, "created_at" timestamptz not null, constraint "channel_listing_pkey" primary key ("id"));`);
    this.addSql(`alter table "channel_listing" add constraint "channel_listing_connection_sku_unique" unique ("connection_id", "channel_sku");`);

    this.addSql(`create table "product_file" ("id" uuid not null, "merchant_id" uuid not null, "product_id" uuid not null, "storage_connection_id" uuid null, "ref" text not null, "display_name" varchar(300) not null, "size" bigint null, "checksum" varchar(200) null, "position" int not null default 0, "created_at" timestamptz not null, constraint "product_file_pkey" primary key ("id"));`);

    this.addSql(`create table "sync_run" ("id" uuid not null, "merchant_id" uuid not null, "connection_id" uuid not null, "trigger" varchar(16) not null, "status" varchar(16) not null default 'running', "started_at" timestamptz not null, "finished_at" timestamptz null, "pages" int not null default 0, "created" int not null default 0, "updated" int not null default 0, "unchanged" int not null default 0, "error" text null, constraint "sync_run_pkey" primary key ("id"));`);
    this.addSql(`create index "sync_run_connection_id_started_at_index" on "sync_run" ("connection_id", "started_at");`);

    this.addSql(`alter table "channel_connection" add constraint "channel_connection_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "api_key" add constraint "api_key_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order" add constraint "order_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order" add constraint "order_connection_id_foreign" foreign key ("connection_id") references "channel_connection" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_event" add constraint "order_event_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_event" add constraint "order_event_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "product" add constraint "product_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_item" add constraint "order_item_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_item" add constraint "order_item_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_item" add constraint "order_item_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "channel_listing" add constraint "channel_listing_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "channel_listing" add constraint "channel_listing_connection_id_foreign" foreign key ("connection_id") references "channel_connection" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "channel_listing" add constraint "channel_listing_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "product_file" add constraint "product_file_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "product_file" add constraint "product_file_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sync_run" add constraint "sync_run_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sync_run" add constraint "sync_run_connection_id_foreign" foreign key ("connection_id") references "channel_connection" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "channel_connection" drop constraint "channel_connection_merchant_id_foreign";`);

    this.addSql(`alter table "api_key" drop constraint "api_key_merchant_id_foreign";`);

    this.addSql(`alter table "order" drop constraint "order_merchant_id_foreign";`);

    this.addSql(`alter table "order_event" drop constraint "order_event_merchant_id_foreign";`);

    this.addSql(`alter table "product" drop constraint "product_merchant_id_foreign";`);

    this.addSql(`alter table "order_item" drop constraint "order_item_merchant_id_foreign";`);

    this.addSql(`alter table "channel_listing" drop constraint "channel_listing_merchant_id_foreign";`);

    this.addSql(`alter table "product_file" drop constraint "product_file_merchant_id_foreign";`);

    this.addSql(`alter table "sync_run" drop constraint "sync_run_merchant_id_foreign";`);

    this.addSql(`alter table "order" drop constraint "order_connection_id_foreign";`);

    this.addSql(`alter table "channel_listing" drop constraint "channel_listing_connection_id_foreign";`);

    this.addSql(`alter table "sync_run" drop constraint "sync_run_connection_id_foreign";`);

    this.addSql(`alter table "order_event" drop constraint "order_event_order_id_foreign";`);

    this.addSql(`alter table "order_item" drop constraint "order_item_order_id_foreign";`);

    this.addSql(`alter table "order_item" drop constraint "order_item_product_id_foreign";`);

    this.addSql(`alter table "channel_listing" drop constraint "channel_listing_product_id_foreign";`);

    this.addSql(`alter table "product_file" drop constraint "product_file_product_id_foreign";`);

    this.addSql(`drop table if exists "merchant" cascade;`);

    this.addSql(`drop table if exists "channel_connection" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);

    this.addSql(`drop table if exists "order" cascade;`);

    this.addSql(`drop table if exists "order_event" cascade;`);

    this.addSql(`drop table if exists "product" cascade;`);

    this.addSql(`drop table if exists "order_item" cascade;`);

    this.addSql(`drop table if exists "channel_listing" cascade;`);

    this.addSql(`drop table if exists "product_file" cascade;`);

    this.addSql(`drop table if exists "sync_run" cascade;`);
  }

}
