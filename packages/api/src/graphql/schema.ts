import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { ChannelListingResolver } from '../catalog/channel-listing.resolver.js';
import { ProductFileResolver } from '../catalog/product-file.resolver.js';
import { ProductResolver } from '../catalog/product.resolver.js';
import { UnmappedItemResolver } from '../catalog/unmapped-item.resolver.js';
import { ChannelConnectionResolver } from '../channels/channel-connection.resolver.js';
import { ViewerResolver } from '../merchants/viewer.resolver.js';
import { ImportOrdersResolver } from '../orders/import/import-orders.resolver.js';
import { OrderFieldResolver, OrderItemFieldResolver } from '../orders/order.field-resolver.js';
import { OrderResolver } from '../orders/order.resolver.js';
import { StorageConnectionResolver } from '../storage/storage-connection.resolver.js';
import { rulesResolvers } from '../rules/rules-resolvers.js';
import { enforceAreaScopes } from './area-scope.js';
import { authChecker } from './auth-checker.js';
import { downloadResolvers } from '../downloads/download.resolver.js';
import { portalResolvers } from '../portal/portal-resolvers.js';

export const resolvers = [
  ...rulesResolvers,
  ...downloadResolvers,
  ...portalResolvers,
  ViewerResolver,
  OrderResolver,
  OrderFieldResolver,
  OrderItemFieldResolver,
  ProductResolver,
  ProductFileResolver,
  StorageConnectionResolver,
  ChannelConnectionResolver,
  ImportOrdersResolver,
  UnmappedItemResolver,
  ChannelListingResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** Built once per process; type-graphql's metadata is global anyway. Scopes: area-scope.ts. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: [...resolvers], authChecker, validate: false }).then(enforceAreaScopes);
  return built;
}
