import { type ASTVisitor, type FragmentDefinitionNode, Kind, type SelectionSetNode, type ValidationContext } from 'graphql';
import { limitError } from './limit-error.ts';

/** Introspection is exempt: GraphiQL's schema query nests `ofType` deeper than any real query. */
const INTROSPECTION_ROOTS: ReadonlySet<string> = new Set(['__schema', '__type']);

/**
 * Rejects an operation whose selections nest deeper than `maxDepth` fields, counting through
 * fragments (`{ posts { nodes { title } } }` has depth 3). Each fragment's depth is computed
 * once, so fan-out does not multiply the work; cycles are NoFragmentCyclesRule's to report.
 */
export function createDepthLimitRule(maxDepth: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragmentDepths = new Map<string, number>();
    const onPath = new Set<string>();

    const fragmentDepth = (fragment: FragmentDefinitionNode): number => {
      const name = fragment.name.value;
      const known = fragmentDepths.get(name);
      if (known !== undefined) return known;
      if (onPath.has(name)) return 0;
      onPath.add(name);
      const depth = selectionDepth(fragment.selectionSet);
      onPath.delete(name);
      fragmentDepths.set(name, depth);
      return depth;
    };

    const selectionDepth = (selectionSet: SelectionSetNode): number => {
      let deepest = 0;
      for (const selection of selectionSet.selections) {
        let depth = 0;
        if (selection.kind === Kind.FIELD) {
          if (INTROSPECTION_ROOTS.has(selection.name.value)) continue;
          depth = 1 + (selection.selectionSet ? selectionDepth(selection.selectionSet) : 0);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          depth = selectionDepth(selection.selectionSet);
        } else {
          const fragment = context.getFragment(selection.name.value);
          depth = fragment ? fragmentDepth(fragment) : 0;
        }
        if (depth > deepest) deepest = depth;
      }
      return deepest;
    };

    return {
      OperationDefinition(operation) {
        const depth = selectionDepth(operation.selectionSet);
        if (depth > maxDepth) {
          context.reportError(
            limitError('depth', `Query depth ${depth} exceeds the maximum of ${maxDepth}`, maxDepth, depth, [operation]),
          );
        }
        return false;
      },
    };
  };
}
