import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, separateOperations } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { measureOperation } from './operation-limits.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxComplexity: number;
}

const tooComplex = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });

/** Rejects over-deep, alias-amplified and over-costly operations before any resolver runs. */
export function limitsPlugin<T extends object>(limits: QueryLimits): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation, schema }) {
          if (!operation) return;
          const { depth, aliases } = measureOperation(document, operation);
          if (depth > limits.maxDepth) throw tooComplex(`Query depth ${depth} exceeds the limit of ${limits.maxDepth}`);
          if (aliases > limits.maxAliases)
            throw tooComplex(`Query uses ${aliases} aliases; the limit is ${limits.maxAliases}`);
          const name = operation.name?.value;
          const query = name ? (separateOperations(document)[name] ?? document) : document;
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query,
              operationName: name,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // Cost needs the variables, so their coercion errors surface here first.
            if (error instanceof GraphQLError) {
              throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
            }
            throw error;
          }
          if (complexity > limits.maxComplexity) {
            throw tooComplex(`Query complexity ${complexity} exceeds the limit of ${limits.maxComplexity}`);
          }
        },
      };
    },
  };
}
