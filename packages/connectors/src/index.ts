export * from './channels/channel-connector.js';
export * from './storage/storage-provider.js';
