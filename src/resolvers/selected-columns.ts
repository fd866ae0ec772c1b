import type { GraphQLResolveInfo } from 'graphql';
import { OPTIONAL_AUTHOR_COLUMNS, type OptionalAuthorColumn } from '../db/author-columns.ts';
import { OPTIONAL_POST_COLUMNS, type OptionalPostColumn } from '../db/post-columns.ts';
import { selectsField } from './selects-field.ts';

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

function selectedColumns<C extends string>(info: GraphQLResolveInfo, order: readonly C[], fieldsByColumn: Readonly<Record<C, ReadonlySet<string>>>): C[] {
  return order.filter((column) => selectsField(info, fieldsByColumn[column]));
}

/** The optional posts columns the rows under the current field need (conservative: see selectsField). */
export function selectedPostColumns(info: GraphQLResolveInfo): OptionalPostColumn[] {
  return selectedColumns(info, OPTIONAL_POST_COLUMNS, POST_FIELDS_BY_COLUMN);
}

/** The optional authors columns the rows under the current field need. */
export function selectedAuthorColumns(info: GraphQLResolveInfo): OptionalAuthorColumn[] {
  return selectedColumns(info, OPTIONAL_AUTHOR_COLUMNS, AUTHOR_FIELDS_BY_COLUMN);
}
