import type { ChannelConnector, ChannelConnectorOptions, ChannelKind } from './channel-connector.js';
import { GenericConnector } from './generic/generic.connector.js';
import { ShopifyConnector } from './shopify/shopify.connector.js';
import { ShopwareConnector } from './shopware/shopware.connector.js';
import { WooCommerceConnector } from './woocommerce/woocommerce.connector.js';
// amazon / ebay / etsy: one import each, kept below so the two connector owners never edit the same line.
import { AmazonConnector } from './amazon/amazon.connector.js';
import { EbayConnector } from './ebay/ebay.connector.js';
import { EtsyConnector } from './etsy/etsy.connector.js';

type Factory = (options: ChannelConnectorOptions) => ChannelConnector;

/** One entry per kind; the Record type makes a missing kind a compile error. */
const FACTORIES: Record<ChannelKind, Factory> = {
  shopify: (o) => new ShopifyConnector(o),
  woocommerce: (o) => new WooCommerceConnector(o),
  shopware: (o) => new ShopwareConnector(o),
  generic: (o) => new GenericConnector(o),
  // slots owned by the Amazon/eBay/Etsy engineer
  amazon: (o) => new AmazonConnector(o),
  ebay: (o) => new EbayConnector(o),
  etsy: (o) => new EtsyConnector(o),
};

export function createChannelConnector(kind: ChannelKind, options: ChannelConnectorOptions): ChannelConnector {
  const factory = FACTORIES[kind];
  if (!factory) throw new Error(`Unknown channel kind: ${String(kind)}`);
  return factory(options);
}
