import { Migration } from '@mikro-orm/migrations';

export class Migration20261122033500NotificationReplyTo extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "notification" add column "reply_to" varchar(320) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notification" drop column "reply_to";`);
  }
}
