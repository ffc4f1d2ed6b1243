import { Migration } from '@mikro-orm/migrations';

/**
 * A use is its own row (a token may count several over time, the latest is its current one) and
 * carries the bytes served under it against its cap. Uses counted before this migration keep a cap
 * of 0: a resume of one counts anew.
 */
export class Migration20261206010000DownloadUseBytes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "download_use" drop constraint "download_use_pkey";`);
    this.addSql(`alter table "download_use" add column "id" uuid not null default gen_random_uuid(), add column "bytes_served" bigint not null default 0, add column "byte_cap" bigint not null default 0, add column "current" boolean not null default true;`);
    this.addSql(`alter table "download_use" alter column "id" drop default;`);
    this.addSql(`alter table "download_use" add constraint "download_use_pkey" primary key ("id");`);
    this.addSql(`create unique index "download_use_current_token_unique" on "download_use" ("token_id") where "current";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "download_use_current_token_unique";`);
    this.addSql(`delete from "download_use" where not "current";`);
    this.addSql(`alter table "download_use" drop constraint "download_use_pkey";`);
    this.addSql(`alter table "download_use" drop column "id", drop column "bytes_served", drop column "byte_cap", drop column "current";`);
    this.addSql(`alter table "download_use" add constraint "download_use_pkey" primary key ("token_id");`);
  }
}
