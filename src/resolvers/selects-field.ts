import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether any field named in `names` appears anywhere below the current field (fragments
 * included). Conservative by design: a yes fetches a column that may go unused, a wrong no
 * would cost an extra statement per page (see Post.body).
 */
export function selectsField(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  return selectsFieldIn(info.fieldNodes, info.fragments, names);
}

/** selectsField below the given nodes of one field (a field other than the current one). */
export function selectsFieldIn(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>, names: ReadonlySet<string>): boolean {
  return fieldNodes.some((node) => node.selectionSet !== undefined && searchSet(node.selectionSet, names, fragments, new Set()));
}

function searchSet(
  set: SelectionSetNode,
  names: ReadonlySet<string>,
  fragments: Record<string, FragmentDefinitionNode>,
  visited: Set<string>,
): boolean {
  for (const selection of set.selections) {
    if (selection.kind === 'Field') {
      if (names.has(selection.name.value)) return true;
      if (selection.selectionSet && searchSet(selection.selectionSet, names, fragments, visited)) return true;
    } else if (selection.kind === 'InlineFragment') {
      if (searchSet(selection.selectionSet, names, fragments, visited)) return true;
    } else if (!visited.has(selection.name.value)) {
      visited.add(selection.name.value);
      const fragment = fragments[selection.name.value];
      if (fragment && searchSet(fragment.selectionSet, names, fragments, visited)) return true;
    }
  }
  return false;
}
