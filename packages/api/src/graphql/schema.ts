import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { ProductResolver } from '../catalog/product.resolver.js';
import { ViewerResolver } from '../merchants/viewer.resolver.js';
import { OrderFieldResolver, OrderItemFieldResolver } from '../orders/order.field-resolver.js';
import { OrderResolver } from '../orders/order.resolver.js';
import { authChecker } from './auth-checker.js';

export const resolvers = [
  ViewerResolver,
  OrderResolver,
  OrderFieldResolver,
  OrderItemFieldResolver,
  ProductResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** Built once per process; type-graphql's metadata is global anyway. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: [...resolvers], authChecker, validate: false });
  return built;
}
