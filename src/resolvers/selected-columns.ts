import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo } from 'graphql';
import { OPTIONAL_AUTHOR_COLUMNS, type OptionalAuthorColumn } from '../db/author-columns.ts';
import { OPTIONAL_POST_COLUMNS, type OptionalPostColumn } from '../db/post-columns.ts';
import { selectsFieldIn } from './selects-field.ts';

/** The Post fields that read each optional posts column. */
const POST_FIELDS_BY_COLUMN: Readonly<Record<OptionalPostColumn, ReadonlySet<string>>> = {
  body: new Set(['body', 'excerpt']),
  word_count: new Set(['wordCount', 'readingTimeMinutes']),
  updated_at: new Set(['updatedAt']),
};

/** The Author fields that read each optional authors column. */
const AUTHOR_FIELDS_BY_COLUMN: Readonly<Record<OptionalAuthorColumn, ReadonlySet<string>>> = {
  bio: new Set(['bio']),
  created_at: new Set(['createdAt']),
};

/**
 * The columns of `order` that the selection under the current field reads, worked out once per
 * field of a document: every post of a page resolves `author` with the same field nodes (the
 * same arrays in graphql-jit's compiled query and in graphql-js), and walking them anew for each
 * of 100 posts was a tenth of a B request's allocations. The nodes belong to one document, and
 * so do the fragments the walk follows.
 */
function columnsSelector<C extends string>(order: readonly C[], fieldsByColumn: Readonly<Record<C, ReadonlySet<string>>>) {
  const byFieldNodes = new WeakMap<GraphQLResolveInfo['fieldNodes'], readonly C[]>();
  return (info: GraphQLResolveInfo): readonly C[] => {
    let columns = byFieldNodes.get(info.fieldNodes);
    if (!columns) {
      columns = columnsIn(order, fieldsByColumn, info.fieldNodes, info.fragments);
      byFieldNodes.set(info.fieldNodes, columns);
    }
    return columns;
  };
}

function columnsIn<C extends string>(
  order: readonly C[],
  fieldsByColumn: Readonly<Record<C, ReadonlySet<string>>>,
  fieldNodes: readonly FieldNode[],
  fragments: Record<string, FragmentDefinitionNode>,
): readonly C[] {
  return order.filter((column) => selectsFieldIn(fieldNodes, fragments, fieldsByColumn[column]));
}

/** The optional posts columns the rows under the current field need (conservative: see selectsField). */
export const selectedPostColumns: (info: GraphQLResolveInfo) => readonly OptionalPostColumn[] = columnsSelector(
  OPTIONAL_POST_COLUMNS,
  POST_FIELDS_BY_COLUMN,
);

/** The optional authors columns the rows under the current field need. */
export const selectedAuthorColumns: (info: GraphQLResolveInfo) => readonly OptionalAuthorColumn[] = columnsSelector(
  OPTIONAL_AUTHOR_COLUMNS,
  AUTHOR_FIELDS_BY_COLUMN,
);

/**
 * The optional authors columns that an `author` field with these nodes reads: what
 * selectedAuthorColumns gives that field's resolver, worked out from above it (a page of posts
 * joining the authors its rows will ask for).
 */
export function authorColumnsIn(fieldNodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): readonly OptionalAuthorColumn[] {
  return columnsIn(OPTIONAL_AUTHOR_COLUMNS, AUTHOR_FIELDS_BY_COLUMN, fieldNodes, fragments);
}
