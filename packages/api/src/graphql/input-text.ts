import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode } from 'graphql';
import { findUnstorableText, formatPath, unstorablePosition, unstorableText } from '@handoff/shared';

const MAX_NAMED_DEPTH = 12;

/** A string of the request the database could not store, named by where it was sent. */
interface Unstorable {
  field: string;
  reason: string;
  text: string;
}

/**
 * Refuses text PostgreSQL cannot store (NUL characters, unpaired surrogates) in any variable or
 * literal argument of a request, before a resolver runs: one check for every String, ID, JSON or
 * CSV input, instead of an INTERNAL_SERVER_ERROR from the first query that meets it.
 */
export function inputTextPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const found = inVariables(request.variables) ?? inLiterals(document);
          if (!found) return;
          const at = unstorablePosition(found.text);
          const where = at && found.text.includes('\n') ? ` (line ${at.line}, column ${at.column})` : '';
          throw new GraphQLError(`Input "${found.field}" ${found.reason}${where}; send text without it`, {
            extensions: { code: 'BAD_USER_INPUT', field: found.field, http: { status: 400 } },
          });
        },
      };
    },
  };
}

function inVariables(variables: Record<string, unknown> | undefined): Unstorable | null {
  const found = variables ? findUnstorableText(variables) : null;
  if (!found) return null;
  // A path through a deeply nested JSON value is named by its start.
  const path = found.path.length > MAX_NAMED_DEPTH ? [...found.path.slice(0, MAX_NAMED_DEPTH), '…'] : found.path;
  return { field: `$${formatPath(path)}`, reason: found.reason, text: found.text };
}

/** String literals in the document, named by their argument and input-object field path. */
function inLiterals(document: DocumentNode): Unstorable | null {
  const path: string[] = [];
  let found: Unstorable | null = null;
  const enter = (node: { name: { value: string } }) => void path.push(node.name.value);
  const leave = () => void path.pop();
  visit(document, {
    Argument: { enter, leave },
    ObjectField: { enter, leave },
    VariableDefinition: { enter: (node) => void path.push(`$${node.variable.name.value}`), leave },
    StringValue(node) {
      const reason = found ? null : unstorableText(node.value);
      if (reason) found = { field: path.join('.') || 'a string literal', reason, text: node.value };
    },
  });
  return found;
}
