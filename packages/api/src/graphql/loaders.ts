import { loaderById, loaderGrouped } from '../db/batch-loaders.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProductFile } from '../catalog/product-file.entity.js';
import { Product } from '../catalog/product.entity.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { createChannelLoaders } from '../channels/channel-loaders.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { OrderItem } from '../orders/order-item.entity.js';
import { StorageConnection } from '../storage/storage-connection.entity.js';
import { createDownloadLoaders } from '../downloads/download-loaders.js';
import { createRulesLoaders } from '../rules/rules-loaders.js';
import { createPortalLoaders } from '../portal/portal-loaders.js';

/**
 * Per-request batchers: each field resolver goes through one, so a page costs a constant number
 * of statements. Every lookup is also scoped to the caller's merchant.
 */
export function createLoaders(em: EntityManager, merchantId: () => string | null) {
  const scope = () => ({ merchant: merchantId() ?? '00000000-0000-0000-0000-000000000000' });

  return {
    ...createDownloadLoaders(em, scope),
    ...createRulesLoaders(em, scope),
    ...createPortalLoaders(em, scope),
    product: loaderById((ids) => em.find(Product, { id: { $in: ids }, ...scope() })),
    connection: loaderById((ids) => em.find(ChannelConnection, { id: { $in: ids }, ...scope() })),
    orderItems: loaderGrouped(
      (ids) => em.find(OrderItem, { order: { $in: ids }, ...scope() }, { orderBy: { externalId: 'asc' } }),
      (item) => item.order.id,
    ),
    orderEvents: loaderGrouped(
      (ids) => em.find(OrderEvent, { order: { $in: ids }, ...scope() }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
      (event) => event.order.id,
    ),
    storageConnection: loaderById((ids) => em.find(StorageConnection, { id: { $in: ids }, ...scope() })),
    productFiles: loaderGrouped(
      (ids) => em.find(ProductFile, { product: { $in: ids }, ...scope() }, { orderBy: { position: 'asc', id: 'asc' } }),
      (file) => file.product.id,
    ),
    ...createChannelLoaders(em, merchantId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
