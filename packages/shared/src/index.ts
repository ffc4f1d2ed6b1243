export * from './order-status.js';
export * from './normalized-order.js';
export * from './errors.js';
export * from './scopes.js';
export * from './secret-tokens.js';
export * from './accent-colour.js';
export * from './text-safety.js';
