import { ChannelListingService } from './catalog/channel-listing.service.js';
import { ProductFileService } from './catalog/product-file.service.js';
import { ProductService } from './catalog/product.service.js';
import { UnmappedItemService } from './catalog/unmapped-item.service.js';
import { ConnectorFactory, type ConnectorOverrides } from './channels/connector-factory.js';
import { ConnectionService } from './channels/connection.service.js';
import { SyncService } from './channels/sync.service.js';
import { WebhookService } from './channels/webhook.service.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { JobQueue } from './jobs/queue.js';
import type { Logger } from './logger.js';
import { ApiKeyService } from './merchants/api-key.service.js';
import { MerchantService } from './merchants/merchant.service.js';
import { OrderPushService } from './orders/import/order-push.service.js';
import { OrderImportService } from './orders/order-import.service.js';
import { OrderService } from './orders/order.service.js';
import { TriggerDispatcher } from './orders/trigger-dispatcher.js';
import { QueueTriggerPublisher } from './orders/trigger-publisher.js';
import type { Keyring } from './security/keyring.js';
import { outboundPolicy } from './security/outbound.js';
import { StorageConnectionService, type StorageOverrides } from './storage/storage-connection.service.js';
import { storageSettings } from './storage/storage-settings.js';
import { createDownloadServices } from './downloads/download-services.js';
import { createRulesServices } from './rules/rules-services.js';
import { createPortalServices } from './portal/portal-services.js';

export interface ServiceDeps {
  clock: Clock;
  keyring: Keyring;
  queue: JobQueue;
  log: Logger;
  /** Tests point channel connectors at local fakes. */
  connectorOverrides?: ConnectorOverrides;
  /** The process configuration (storage roots, OAuth apps, download and notification settings). */
  config: Config;
  /** Tests give storage providers a fast sleep. */
  storageOverrides?: StorageOverrides;
}

/** Every domain service, built once per process with its collaborators. */
export function createServices(deps: ServiceDeps) {
  const outbound = outboundPolicy(deps.config);
  const connectors = new ConnectorFactory(deps.keyring, deps.connectorOverrides, outbound);
  const importer = new OrderImportService(deps.clock, new QueueTriggerPublisher(deps.queue));
  const downloads = createDownloadServices(deps);
  const rules = createRulesServices({ ...deps, connectors });
  const storage = new StorageConnectionService(
    deps.keyring,
    deps.clock,
    storageSettings(deps.config),
    deps.storageOverrides,
  );
  return {
    queue: deps.queue,
    ...downloads,
    ...rules,
    ...createPortalServices({ ...deps, ...downloads, ...rules }),
    merchants: new MerchantService(deps.clock, (em, id) => rules.rules.installDefaults(em, id)),
    apiKeys: new ApiKeyService(deps.clock),
    products: new ProductService(),
    orders: new OrderService(),
    connectors,
    importer,
    sync: new SyncService(deps.clock, connectors, importer, deps.log),
    webhooks: new WebhookService(deps.clock, connectors, importer),
    triggers: new TriggerDispatcher(deps.clock, [downloads.downloadRevocation, rules.ruleEngine]),
    connections: new ConnectionService(connectors, deps.queue, deps.config.PUBLIC_URL),
    orderPush: new OrderPushService(importer),
    unmappedItems: new UnmappedItemService(),
    channelListings: new ChannelListingService(),
    storage,
    productFiles: new ProductFileService(storage),
  };
}

export type Services = ReturnType<typeof createServices>;
