import { Migration } from '@mikro-orm/migrations';

/** A message being sent is its worker's until `lease_until`, which the worker renews while it sends. */
export class Migration20261206050000NotificationLease extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "notification" add column "lease_until" timestamptz null;`);
    // Rows claimed under the old fixed five-minute lease keep it.
    this.addSql(
      `update "notification" set "lease_until" = "claimed_at" + interval '5 minutes' where "status" = 'sending';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notification" drop column "lease_until";`);
  }
}
