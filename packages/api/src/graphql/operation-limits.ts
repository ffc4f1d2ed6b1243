import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface OperationShape {
  depth: number;
  aliases: number;
}

/**
 * Depth and alias count of one operation, following fragments. Every field counts, `__typename`,
 * `__schema` and `__type` included: 600 aliased `__schema` selections are as costly as any others.
 * Only introspection's `ofType` adds no depth: it unwraps a list or non-null into one object, so a
 * chain of them costs linearly (the standard introspection query nests it seven times).
 */
export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  let aliases = 0;

  const walk = (set: SelectionSetNode, seen: ReadonlySet<string>): number => {
    let deepest = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) aliases += 1;
        const step = sel.name.value === 'ofType' ? 0 : 1;
        deepest = Math.max(deepest, sel.selectionSet ? step + walk(sel.selectionSet, seen) : step);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, walk(sel.selectionSet, seen));
      } else {
        const name = sel.name.value;
        const fragment = fragments.get(name);
        // A fragment cycle is rejected by validation; stop here rather than loop.
        if (fragment && !seen.has(name))
          deepest = Math.max(deepest, walk(fragment.selectionSet, new Set([...seen, name])));
      }
    }
    return deepest;
  };

  const depth = walk(operation.selectionSet, new Set());
  return { depth, aliases };
}
