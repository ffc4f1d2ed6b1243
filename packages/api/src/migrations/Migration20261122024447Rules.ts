import { Migration } from '@mikro-orm/migrations';

export class Migration20261122024447Rules extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "mail_settings" ("id" uuid not null, "merchant_id" uuid not null, "smtp_sealed" text not null, "from_address" varchar(320) not null, "from_name" varchar(200) not null, "reply_to" varchar(320) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "mail_settings_pkey" primary key ("id"));`);
    this.addSql(`alter table "mail_settings" add constraint "mail_settings_merchant_unique" unique ("merchant_id");`);

    this.addSql(`create table "portal_code" ("id" uuid not null, "merchant_id" uuid not null, "order_id" uuid not null, "code_hash" varchar(64) not null, "code_sealed" text not null, "rotations" int not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "portal_code_pkey" primary key ("id"));`);
    this.addSql(`alter table "portal_code" add constraint "portal_code_order_unique" unique ("order_id");`);
    this.addSql(`alter table "portal_code" add constraint "portal_code_hash_unique" unique ("code_hash");`);

    this.addSql(`create table "rule" ("id" uuid not null, "merchant_id" uuid not null, "name" varchar(200) not null, "enabled" boolean not null default true, "position" int not null, "trigger" varchar(40) not null, "trigger_status" varchar(24) null, "match" varchar(3) not null default 'all', "conditions" jsonb not null, "actions" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "rule_pkey" primary key ("id"));`);
    this.addSql(`create index "rule_merchant_trigger_idx" on "rule" ("merchant_id", "trigger", "position");`);

    this.addSql(`create table "rule_execution" ("id" uuid not null, "merchant_id" uuid not null, "rule_id" uuid not null, "order_id" uuid not null, "trigger_key" varchar(200) not null, "trigger" varchar(40) not null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "last_error" text null, "results" jsonb not null, "finished_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "rule_execution_pkey" primary key ("id"));`);
    this.addSql(`create index "rule_execution_order_idx" on "rule_execution" ("order_id", "created_at");`);
    this.addSql(`alter table "rule_execution" add constraint "rule_execution_rule_trigger_unique" unique ("rule_id", "trigger_key");`);

    this.addSql(`create table "template" ("id" uuid not null, "merchant_id" uuid not null, "name" varchar(200) not null, "variants" jsonb not null, "fallback_language" varchar(20) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "template_pkey" primary key ("id"));`);
    this.addSql(`alter table "template" add constraint "template_merchant_name_unique" unique ("merchant_id", "name");`);

    this.addSql(`create table "notification" ("id" uuid not null, "merchant_id" uuid not null, "order_id" uuid not null, "execution_id" uuid null, "template_id" uuid null, "transport" varchar(16) not null, "recipient" varchar(320) not null, "language" varchar(20) not null, "subject" text not null, "html" text not null, "text" text not null, "dedup_key" varchar(300) not null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "last_error" text null, "next_attempt_at" timestamptz null, "claimed_at" timestamptz null, "provider_message_id" varchar(300) null, "sent_at" timestamptz null, "resend_of" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "notification_pkey" primary key ("id"));`);
    this.addSql(`create index "notification_status_next_idx" on "notification" ("status", "next_attempt_at");`);
    this.addSql(`create index "notification_order_idx" on "notification" ("order_id", "created_at");`);
    this.addSql(`alter table "notification" add constraint "notification_dedup_unique" unique ("dedup_key");`);

    this.addSql(`alter table "mail_settings" add constraint "mail_settings_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "portal_code" add constraint "portal_code_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "portal_code" add constraint "portal_code_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "rule" add constraint "rule_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "rule_execution" add constraint "rule_execution_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "rule_execution" add constraint "rule_execution_rule_id_foreign" foreign key ("rule_id") references "rule" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "rule_execution" add constraint "rule_execution_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "template" add constraint "template_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "notification" add constraint "notification_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_execution_id_foreign" foreign key ("execution_id") references "rule_execution" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "notification" add constraint "notification_template_id_foreign" foreign key ("template_id") references "template" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "rule_execution" drop constraint "rule_execution_rule_id_foreign";`);

    this.addSql(`alter table "notification" drop constraint "notification_execution_id_foreign";`);

    this.addSql(`alter table "notification" drop constraint "notification_template_id_foreign";`);

    this.addSql(`drop table if exists "mail_settings" cascade;`);

    this.addSql(`drop table if exists "portal_code" cascade;`);

    this.addSql(`drop table if exists "rule" cascade;`);

    this.addSql(`drop table if exists "rule_execution" cascade;`);

    this.addSql(`drop table if exists "template" cascade;`);

    this.addSql(`drop table if exists "notification" cascade;`);
  }

}
