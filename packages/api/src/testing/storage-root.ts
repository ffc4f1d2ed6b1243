import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Records that the operator assigned `path` to the merchant (what `allow-storage-root` stores), so
 * a test's local storage connection on a shared temporary folder keeps serving. Idempotent.
 */
export async function assignStorageRoot(em: EntityManager, merchantId: string, path: string): Promise<void> {
  await em.getConnection().execute(
    `insert into "storage_root_assignment" ("id", "merchant_id", "path", "created_at") values (?, ?, ?, now())
        on conflict ("merchant_id", "path") do nothing`,
    [randomUUID(), merchantId, path],
  );
}
