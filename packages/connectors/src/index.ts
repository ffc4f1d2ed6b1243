export * from './channels/channel-connector.js';
export * from './storage/storage-provider.js';
export * from './channels/amazon/amazon.connector.js';
export * from './channels/ebay/ebay.connector.js';
export * from './channels/etsy/etsy.connector.js';
