import {
  defaultFieldResolver,
  getNamedType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { Extensions } from 'type-graphql';
import type { Scope } from '@handoff/shared';
import { requireScopes } from './auth-checker.js';
import type { RequestContext } from './request-context.js';

const AREA_SCOPE = 'areaScope';

/**
 * Declares the area an object type belongs to, by the scope that reads it. Every field whose
 * (unwrapped) type is this one needs that scope, wherever it sits in the schema: an orders key
 * reaching a rule or a product through an order is refused like at the root.
 */
export const AreaType = (scope: Scope) => Extensions({ [AREA_SCOPE]: scope });

/** The read scope of a type: its own, or for a Relay connection or edge that of its nodes. */
export function areaScopeOf(type: GraphQLNamedType): Scope | null {
  if (!isObjectType(type)) return null;
  const own = type.extensions[AREA_SCOPE] as Scope | undefined;
  if (own) return own;
  const fields = type.getFields();
  if (type.name.endsWith('Connection') && fields.edges) return areaScopeOf(getNamedType(fields.edges.type));
  if (type.name.endsWith('Edge') && fields.node) return areaScopeOf(getNamedType(fields.node.type));
  return null;
}

/** The scope a field needs from the type it reaches, or null for plain values and neutral types. */
export function fieldScope(field: GraphQLField<unknown, unknown>): Scope | null {
  return areaScopeOf(getNamedType(field.type));
}

/**
 * Wraps every field that reaches an area type with that area's scope check, once at schema build.
 * Root fields keep their own `@Authorized` (write scopes); this adds the read scope of what they
 * return and closes every nested path into another area.
 */
export function enforceAreaScopes(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const scope = fieldScope(field);
      if (!scope) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: RequestContext, info) => {
        requireScopes(context, [scope]);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
