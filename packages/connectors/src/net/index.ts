export * from './forbidden-addresses.js';
export * from './outbound-policy.js';
export * from './guarded-fetch.js';
