import type { EntityManager } from '@mikro-orm/postgresql';
import { ProductFile } from '../catalog/product-file.entity.js';
import { Product } from '../catalog/product.entity.js';
import { StorageConnection } from '../storage/storage-connection.entity.js';
import { assignStorageRoot } from './storage-root.js';

/** A merchant's local storage folder `root` (assigned to it) and a digital product with one file in it (flushed). */
export async function seedDigitalProduct(
  em: EntityManager,
  merchantId: string,
  { root, sku, name, file }: { root: string; sku: string; name: string; file: { ref: string; displayName: string } },
): Promise<{ product: Product; storage: StorageConnection }> {
  await assignStorageRoot(em, merchantId, root);
  const storage = em.create(StorageConnection, {
    merchant: merchantId,
    kind: 'local',
    name: 'Files',
    options: { root },
    delivery: 'stream',
  });
  const product = em.create(Product, { merchant: merchantId, sku, name, digital: true });
  em.create(ProductFile, { merchant: merchantId, product, storage, ...file });
  await em.flush();
  return { product, storage };
}
