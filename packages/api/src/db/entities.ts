import { ChannelListing } from '../catalog/channel-listing.entity.js';
import { ProductFile } from '../catalog/product-file.entity.js';
import { Product } from '../catalog/product.entity.js';
import { ChannelConnection } from '../channels/channel-connection.entity.js';
import { SyncRun } from '../channels/sync-run.entity.js';
import { WebhookDelivery } from '../channels/webhook-delivery.entity.js';
import { ApiKey } from '../merchants/api-key.entity.js';
import { Merchant } from '../merchants/merchant.entity.js';
import { OrderEvent } from '../orders/order-event.entity.js';
import { OrderItem } from '../orders/order-item.entity.js';
import { OrderTrigger } from '../orders/order-trigger.entity.js';
import { StorageConnection } from '../storage/storage-connection.entity.js';
import { StorageRootAssignment } from '../storage/storage-root-assignment.entity.js';
import { Order } from '../orders/order.entity.js';
import { downloadEntities } from '../downloads/download-entities.js';
import { rulesEntities } from '../rules/rules-entities.js';
import { portalEntities } from '../portal/portal-entities.js';

/** Every entity, listed once: the ORM and the migration generator both read this. */
export const entities = [
  Merchant,
  ApiKey,
  ChannelConnection,
  SyncRun,
  Product,
  ChannelListing,
  ProductFile,
  Order,
  OrderItem,
  OrderEvent,
  OrderTrigger,
  WebhookDelivery,
  StorageConnection,
  StorageRootAssignment,
  ...downloadEntities,
  ...rulesEntities,
  ...portalEntities,
];
