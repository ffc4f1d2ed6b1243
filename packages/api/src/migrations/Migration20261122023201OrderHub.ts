import { Migration } from '@mikro-orm/migrations';

export class Migration20261122023201OrderHub extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "order_trigger" ("id" uuid not null, "merchant_id" uuid not null, "order_id" uuid not null, "kind" varchar(40) not null, "dedup_key" varchar(200) not null, "to_status" varchar(24) null, "data" jsonb null, "created_at" timestamptz not null, "dispatched_at" timestamptz null, constraint "order_trigger_pkey" primary key ("id"));`);
    this.addSql(`create index "order_trigger_undispatched_idx" on "order_trigger" ("dispatched_at", "created_at");`);
    this.addSql(`alter table "order_trigger" add constraint "order_trigger_dedup_unique" unique ("order_id", "dedup_key");`);

    this.addSql(`create table "webhook_delivery" ("connection_id" uuid not null, "delivery_id" varchar(200) not null, "received_at" timestamptz not null, constraint "webhook_delivery_pkey" primary key ("connection_id", "delivery_id"));`);

    this.addSql(`alter table "order_trigger" add constraint "order_trigger_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_trigger" add constraint "order_trigger_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_connection_id_foreign" foreign key ("connection_id") references "channel_connection" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order" add column "fingerprint" varchar(64) not null default '';`);

    this.addSql(`alter table "channel_connection" add column "cursor_run_started_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "order_trigger" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);

    this.addSql(`alter table "order" drop column "fingerprint";`);

    this.addSql(`alter table "channel_connection" drop column "cursor_run_started_at";`);
  }

}
