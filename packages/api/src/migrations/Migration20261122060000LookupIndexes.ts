import { Migration } from '@mikro-orm/migrations';

/** Indexes for the portal's lookup by buyer address and for unmapped SKUs (both scanned the table before). */
export class Migration20261122060000LookupIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "order_buyer_email_lower_idx" on "order" (lower("buyer_email"));`);
    this.addSql(
      `create index "order_item_unmapped_sku_idx" on "order_item" ("merchant_id", "sku") where "product_id" is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "order_item_unmapped_sku_idx";`);
    this.addSql(`drop index "order_buyer_email_lower_idx";`);
  }
}
