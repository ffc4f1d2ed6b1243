import { Migration } from '@mikro-orm/migrations';

export class Migration20261122024027Downloads extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "download_grant" ("id" uuid not null, "merchant_id" uuid not null, "order_id" uuid not null, "order_item_id" uuid not null, "product_file_id" uuid not null, "download_limit" int null, "used" int not null default 0, "expires_at" timestamptz null, "revoked_at" timestamptz null, "revoked_reason" varchar(20) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "download_grant_pkey" primary key ("id"));`);
    this.addSql(`create index "download_grant_order_idx" on "download_grant" ("order_id");`);
    this.addSql(`alter table "download_grant" add constraint "download_grant_item_file_unique" unique ("order_item_id", "product_file_id");`);

    this.addSql(`create table "download_use" ("token_id" varchar(32) not null, "merchant_id" uuid not null, "grant_id" uuid not null, "counted_at" timestamptz not null, constraint "download_use_pkey" primary key ("token_id"));`);
    this.addSql(`create index "download_use_grant_idx" on "download_use" ("grant_id");`);

    this.addSql(`create table "download_event" ("id" uuid not null, "merchant_id" uuid not null, "order_id" uuid not null, "grant_id" uuid null, "at" timestamptz not null, "ip" varchar(64) null, "user_agent" varchar(500) null, "outcome" varchar(24) not null, "bytes_sent" bigint not null default 0, "completed" boolean null, "redirected" boolean not null default false, "range" varchar(100) null, constraint "download_event_pkey" primary key ("id"));`);
    this.addSql(`create index "download_event_order_at_idx" on "download_event" ("order_id", "at");`);
    this.addSql(`create index "download_event_merchant_at_idx" on "download_event" ("merchant_id", "at", "id");`);

    this.addSql(`create table "suspension" ("id" uuid not null, "merchant_id" uuid not null, "order_id" uuid null, "ip" varchar(64) not null, "target" varchar(120) not null, "failures" int not null default 0, "window_started_at" timestamptz not null, "last_failure_at" timestamptz not null, "suspended_until" timestamptz null, "lifted_at" timestamptz null, "lifted_by" varchar(200) null, "created_at" timestamptz not null, constraint "suspension_pkey" primary key ("id"));`);
    this.addSql(`create index "suspension_merchant_until_idx" on "suspension" ("merchant_id", "suspended_until");`);
    this.addSql(`alter table "suspension" add constraint "suspension_ip_target_unique" unique ("ip", "target");`);

    this.addSql(`alter table "download_grant" add constraint "download_grant_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "download_grant" add constraint "download_grant_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "download_grant" add constraint "download_grant_order_item_id_foreign" foreign key ("order_item_id") references "order_item" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "download_grant" add constraint "download_grant_product_file_id_foreign" foreign key ("product_file_id") references "product_file" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "download_use" add constraint "download_use_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "download_use" add constraint "download_use_grant_id_foreign" foreign key ("grant_id") references "download_grant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "download_event" add constraint "download_event_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "download_event" add constraint "download_event_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "download_event" add constraint "download_event_grant_id_foreign" foreign key ("grant_id") references "download_grant" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "suspension" add constraint "suspension_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "suspension" add constraint "suspension_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "download_use" drop constraint "download_use_grant_id_foreign";`);

    this.addSql(`alter table "download_event" drop constraint "download_event_grant_id_foreign";`);

    this.addSql(`drop table if exists "download_grant" cascade;`);

    this.addSql(`drop table if exists "download_use" cascade;`);

    this.addSql(`drop table if exists "download_event" cascade;`);

    this.addSql(`drop table if exists "suspension" cascade;`);
  }

}
