import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { HandoffError } from '@handoff/shared';

/** Codes Apollo or our plugins set that are safe to pass through as they are. */
const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_COMPLEX',
  'UNAUTHENTICATED',
]);

export function isExpectedError(formatted: GraphQLFormattedError, error: unknown): boolean {
  const code = formatted.extensions?.code;
  return unwrapResolverError(error) instanceof HandoffError || (typeof code === 'string' && PASS_THROUGH.has(code));
}

/**
 * graphql-js appends `Did you mean "x"?` to errors about unknown fields, arguments, types, input
 * fields and enum values, naming fields the caller never asked for: with introspection off, those
 * hints would still reveal the schema.
 */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

export interface ErrorFormatOptions {
  /** Production: no schema hints in messages. */
  hideSuggestions: boolean;
}

/**
 * The one place errors become responses: our HandoffErrors keep their code and message,
 * Apollo's request errors pass, and anything unexpected is masked (errorLoggingPlugin logs it).
 */
export function createFormatError(options: ErrorFormatOptions) {
  const clean = (message: string) => (options.hideSuggestions ? message.replace(SUGGESTION, '') : message);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof HandoffError) {
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: original.code },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASS_THROUGH.has(code)) {
      const field = formatted.extensions?.field;
      return {
        message: clean(formatted.message),
        locations: formatted.locations,
        path: formatted.path,
        extensions: typeof field === 'string' ? { code, field } : { code },
      };
    }
    return {
      message: 'Unexpected error; it has been logged with the request id (X-Request-Id).',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
