import { Migration } from '@mikro-orm/migrations';

export class Migration20261122024216ProductFileContentType extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "product_file" add column "content_type" varchar(200) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "product_file" drop column "content_type";`);
  }

}
