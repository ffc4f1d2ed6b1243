import { Migration } from '@mikro-orm/migrations';

/** Folders the operator assigns to one merchant for local storage (allow-storage-root). */
export class Migration20261206020000StorageRootAssignment extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "storage_root_assignment" ("id" uuid not null, "merchant_id" uuid not null, "path" text not null, "created_at" timestamptz not null, constraint "storage_root_assignment_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "storage_root_assignment" add constraint "storage_root_assignment_merchant_id_path_unique" unique ("merchant_id", "path");`,
    );
    this.addSql(
      `alter table "storage_root_assignment" add constraint "storage_root_assignment_merchant_id_foreign" foreign key ("merchant_id") references "merchant" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "storage_root_assignment" cascade;`);
  }
}
