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

/** Depth and alias count of one operation, following fragments (introspection fields don't count). */
export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  let aliases = 0;

  const walk = (set: SelectionSetNode, seen: ReadonlySet<string>): number => {
    let deepest = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        if (sel.alias) aliases += 1;
        deepest = Math.max(deepest, sel.selectionSet ? 1 + walk(sel.selectionSet, seen) : 1);
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
