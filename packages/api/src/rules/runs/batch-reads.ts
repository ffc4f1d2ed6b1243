import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ProductFile } from '../../catalog/product-file.entity.js';
import { loaderById, loaderGrouped } from '../../db/batch-loaders.js';
import { DownloadGrant } from '../../downloads/download-grant.entity.js';
import { Merchant } from '../../merchants/merchant.entity.js';
import type { PortalCodeService } from '../../portal/portal-code.service.js';
import type { ActionPorts } from '../operation.js';
import { Template } from '../template.entity.js';

/**
 * What the executions of one batch read, each kind through a DataLoader: executions run side by
 * side, so the loads of a step become one statement for the whole batch. Read-only.
 */
export function createBatchReads(em: EntityManager, portalCodes: PortalCodeService, ports: ActionPorts) {
  return {
    merchant: loaderById((ids) => em.find(Merchant, { id: { $in: ids } })),
    template: loaderById((ids) => em.find(Template, { id: { $in: ids } })),
    /** Every grant of an order, revoked ones included, with file and line (for templates). */
    grantsOfOrder: loaderGrouped(
      (orderIds) =>
        em.find(
          DownloadGrant,
          { order: { $in: orderIds } },
          { populate: ['productFile', 'orderItem'], orderBy: { createdAt: 'asc', id: 'asc' }, refresh: true },
        ),
      (g) => g.order.id,
    ),
    filesOfProduct: loaderGrouped(
      (productIds) => em.find(ProductFile, { product: { $in: productIds } }, { orderBy: { position: 'asc' } }),
      (f) => f.product.id,
    ),
    /** Whether a connection's channel can message buyers: one connector per connection and page, not per order. */
    channelCanMessage: new DataLoader<string, boolean>((connectionIds) =>
      Promise.all(connectionIds.map((id) => ports.channelCanMessage(em, id))),
    ),
    portalLink: loaderById(async (orderIds) =>
      [...(await portalCodes.currentLinks(em, orderIds)).values()].map((link) => ({ ...link, id: link.orderId })),
    ),
  };
}

export type BatchReads = ReturnType<typeof createBatchReads>;
