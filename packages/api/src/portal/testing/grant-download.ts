import type { EntityManager } from '@mikro-orm/postgresql';
import { ProductFile } from '../../catalog/product-file.entity.js';
import { DownloadGrant } from '../../downloads/download-grant.entity.js';
import { OrderItem } from '../../orders/order-item.entity.js';
import { StorageConnection } from '../../storage/storage-connection.entity.js';

/** Gives an order's first line one file to download, in a state of the test's choosing. */
export async function grantDownload(
  em: EntityManager,
  orderId: string,
  state: Partial<Pick<DownloadGrant, 'limit' | 'used' | 'expiresAt' | 'revokedAt'>> = {},
): Promise<void> {
  const item = await em.findOneOrFail(OrderItem, { order: orderId }, { orderBy: { id: 'asc' }, populate: ['product'] });
  const merchant = item.merchant;
  const storage = em.create(StorageConnection, { merchant, kind: 'local', name: 'Files', options: { root: '/srv' } });
  const file = em.create(ProductFile, {
    merchant,
    product: item.product!,
    storage,
    ref: 'file.pdf',
    displayName: 'file.pdf',
    position: 0,
  });
  em.create(DownloadGrant, { merchant, order: orderId, orderItem: item, productFile: file, limit: 5, ...state });
  await em.flush();
}
