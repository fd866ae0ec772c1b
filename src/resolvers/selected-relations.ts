import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { OPTIONAL_AUTHOR_COLUMNS, type OptionalAuthorColumn } from '../db/author-columns.ts';
import { NO_RELATIONS, type PostRelations } from '../db/post-relations.ts';
import { authorColumnsIn } from './selected-columns.ts';

type Fragments = Record<string, FragmentDefinitionNode>;

const TAGS_ONLY: PostRelations = { tags: true };

/** The fields of the merged `sets`, by response key, as GraphQL collects them (fragments flattened). */
export function collectFields(sets: readonly SelectionSetNode[], fragments: Fragments): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === 'Field') {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = fields.get(key);
        if (nodes) nodes.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === 'InlineFragment') {
        walk(selection.selectionSet);
      } else if (!visited.has(selection.name.value)) {
        visited.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  return fields;
}

function selectionSets(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}

/** Each merged selection of the node type under a connection: one per `nodes` key and per `edges { node }` key. */
export function nodeSelections(connection: readonly FieldNode[], fragments: Fragments): SelectionSetNode[][] {
  const posts: SelectionSetNode[][] = [];
  for (const nodes of collectFields(selectionSets(connection), fragments).values()) {
    const name = nodes[0]!.name.value;
    if (name === 'nodes') posts.push(selectionSets(nodes));
    else if (name === 'edges') {
      for (const inEdge of collectFields(selectionSets(nodes), fragments).values()) {
        if (inEdge[0]!.name.value === 'node') posts.push(selectionSets(inEdge));
      }
    }
  }
  return posts;
}

/** The relations the posts under these connection field nodes resolve: selectedPageRelations, from above the field. */
export function postRelationsIn(connection: readonly FieldNode[], fragments: Fragments): PostRelations {
  const authorColumnSets: (readonly OptionalAuthorColumn[])[] = [];
  let tags = false;
  for (const post of nodeSelections(connection, fragments)) {
    for (const nodes of collectFields(post, fragments).values()) {
      const name = nodes[0]!.name.value;
      if (name === 'tags') tags = true;
      else if (name === 'author') authorColumnSets.push(authorColumnsIn(nodes, fragments));
    }
  }
  if (authorColumnSets.length === 0) return tags ? TAGS_ONLY : NO_RELATIONS;
  // The join reads every column some `author` field reads: each of them takes its author off the row.
  const author = OPTIONAL_AUTHOR_COLUMNS.filter((column) => authorColumnSets.some((set) => set.includes(column)));
  return { author, tags };
}

// Worked out once per field of a document (see selected-columns.ts).
const byFieldNodes = new WeakMap<GraphQLResolveInfo['fieldNodes'], PostRelations>();

/**
 * The authors and tags the posts of the current connection field resolve (`author` and `tags`
 * under `nodes` or `edges { node }`), which its page statement reads along (conservative, like
 * selectsField: a field skipped by a directive still counts).
 */
export function selectedPageRelations(info: GraphQLResolveInfo, batching: boolean): PostRelations {
  // The naive mode reads none: it exists to show the N+1 that loaders (and this) take away.
  if (!batching) return NO_RELATIONS;
  let relations = byFieldNodes.get(info.fieldNodes);
  if (!relations) {
    relations = postRelationsIn(info.fieldNodes, info.fragments);
    byFieldNodes.set(info.fieldNodes, relations);
  }
  return relations;
}
