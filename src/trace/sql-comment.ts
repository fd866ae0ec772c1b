// sqlcommenter-style comments (https://google.github.io/sqlcommenter/spec/) that tie a statement
// back to GraphQL in pg_stat_statements and the Postgres log:
//
//   select ... where id = any($1) /*operation='PostPage',path='posts.nodes.author'*/
//
// The comment is part of the statement text, and the text names the prepared statement
// (create-database.ts), so it must stay stable per field: no request ids, no list indices.
// Operation names and aliases come from clients, so distinct comments are capped per process;
// past the cap a statement carries only its schema field (`/*field='Post.author'*/`), a set
// bounded by the schema.

import { type SqlScope, pathToRoute } from './sql-scope.ts';

/** Distinct operation+path comments per process before falling back to the field alone. */
export const MAX_SQL_COMMENTS = 1000;

const seen = new Set<string>();

/** The comment for a statement run in `scope`, or '' when no field is running it. */
export function sqlComment(scope: SqlScope): string {
  if (!scope.field) return '';
  const path = pathToRoute(scope.fieldPath);
  const full = formatComment({ operation: scope.trace.operationName, path });
  if (seen.has(full)) return full;
  if (seen.size < MAX_SQL_COMMENTS) {
    seen.add(full);
    return full;
  }
  return formatComment({ field: scope.field });
}

/** Keys sorted, values URL-encoded and single-quoted, per the sqlcommenter spec. */
export function formatComment(tags: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const key of Object.keys(tags).sort()) {
    const value = tags[key];
    // encodeURIComponent leaves `'` and `*` alone: escape both, so neither the quoting nor the
    // comment (`*/`) can be closed early by a name.
    if (value) parts.push(`${key}='${encodeURIComponent(value).replace(/'/g, '%27').replace(/\*/g, '%2A')}'`);
  }
  return parts.length === 0 ? '' : `/*${parts.join(',')}*/`;
}

