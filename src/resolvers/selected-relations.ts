import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { OPTIONAL_AUTHOR_COLUMNS, type OptionalAuthorColumn } from '../db/author-columns.ts';
import { NO_RELATIONS, type PostRelations } from '../db/post-relations.ts';
import type { PrimedRelations } from '../loaders/prime-post-relations.ts';
import { authorColumnsIn } from './selected-columns.ts';

/** What a page of posts reads with its rows, and which loaders those rows then prime. */
export interface PageRelations {
  readonly relations: PostRelations;
  readonly primed: PrimedRelations;
}

const NONE: PageRelations = { relations: NO_RELATIONS, primed: { authorColumnSets: [], tags: false } };

type Fragments = Record<string, FragmentDefinitionNode>;

/** The fields of the merged `sets`, by response key, as GraphQL collects them (fragments flattened). */
function collectFields(sets: readonly SelectionSetNode[], fragments: Fragments): Map<string, FieldNode[]> {
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

/** Each merged selection of Post under a connection: one per `nodes` key and per `edges { node }` key. */
function postSelections(connection: readonly FieldNode[], fragments: Fragments): SelectionSetNode[][] {
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

function pageRelationsOf(connection: readonly FieldNode[], fragments: Fragments): PageRelations {
  const authorColumnSets = new Map<string, readonly OptionalAuthorColumn[]>();
  let tags = false;
  for (const post of postSelections(connection, fragments)) {
    for (const nodes of collectFields(post, fragments).values()) {
      const name = nodes[0]!.name.value;
      if (name === 'tags') tags = true;
      else if (name === 'author') {
        const columns = authorColumnsIn(nodes, fragments);
        authorColumnSets.set(columns.join(','), columns);
      }
    }
  }
  if (authorColumnSets.size === 0 && !tags) return NONE;
  const sets = [...authorColumnSets.values()];
  // The join reads every column some `author` field reads; each loader is primed with its own set.
  const joined = sets.length === 0 ? undefined : OPTIONAL_AUTHOR_COLUMNS.filter((column) => sets.some((set) => set.includes(column)));
  return { relations: { author: joined, tags }, primed: { authorColumnSets: sets, tags } };
}

// Worked out once per field of a document (see selected-columns.ts).
const byFieldNodes = new WeakMap<GraphQLResolveInfo['fieldNodes'], PageRelations>();

/**
 * The authors and tags the posts of the current connection field resolve (`author` and `tags`
 * under `nodes` or `edges { node }`), which its page statement reads along (conservative, like
 * selectsField: a field skipped by a directive still counts).
 */
export function selectedPageRelations(info: GraphQLResolveInfo, batching: boolean): PageRelations {
  // The naive mode reads none: it exists to show the N+1 that loaders (and this) take away.
  if (!batching) return NONE;
  let relations = byFieldNodes.get(info.fieldNodes);
  if (!relations) {
    relations = pageRelationsOf(info.fieldNodes, info.fragments);
    byFieldNodes.set(info.fieldNodes, relations);
  }
  return relations;
}
