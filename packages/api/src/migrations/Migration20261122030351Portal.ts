import { Migration } from '@mikro-orm/migrations';

export class Migration20261122030351Portal extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "portal_consent" ("id" uuid not null, "merchant_id" uuid not null, "order_id" uuid not null, "kind" varchar(40) not null, "accepted_at" timestamptz not null, "ip" varchar(64) null, "user_agent" varchar(500) null, "created_at" timestamptz not null, constraint "portal_consent_pkey" primary key ("id"));`);
    this.addSql(`alter table "portal_consent" add constraint "portal_consent_order_kind_unique" unique ("order_id", "kind");`);

    this.addSql(`create table "portal_rate_limit" ("key" varchar(64) not null, "hits" int not null default 0, "window_started_at" timestamptz not null, "last_hit_at" timestamptz not null, constraint "portal_rate_limit_pkey" primary key ("key"));`);

    this.addSql(`alter table "portal_consent" add constraint "portal_consent_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "portal_consent" add constraint "portal_consent_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "portal_consent" cascade;`);

    this.addSql(`drop table if exists "portal_rate_limit" cascade;`);
  }

}
