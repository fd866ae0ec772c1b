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
//
// A request OpenTelemetry samples is the exception: its statements also carry sqlcommenter's
// `traceparent` (the span of the field or loader batch that ran them), so a line of the Postgres
// log leads to the trace:
//
//   ... /*operation='PostPage',path='posts.nodes.author',traceparent='00-<trace id>-<span id>-01'*/
//
// Such a text is unique to its request, so it is sent unprepared (db/create-database.ts asks
// hasTraceparent): Postgres parses and plans it once more, and no prepared statement is left behind.

import type { SqlScope } from './field-scope.ts';
import { pathToRoute } from './response-path.ts';

/** Distinct operation+path comments per process before falling back to the field alone. */
export const MAX_SQL_COMMENTS = 1000;

// Comment texts by operation and route, and by field past the cap: formatting one per statement
// showed in the profile of a small request.
const byRoute = new Map<string, string>();
const byField = new Map<string, string>();

/** The comment for a statement run in `scope`, or '' when no field is running it. */
export function sqlComment(scope: SqlScope): string {
  const { field } = scope;
  if (!field) return '';
  const operation = scope.trace.operationName;
  const path = pathToRoute(scope.fieldPath);
  // GraphQL names never hold a NUL, so the key is unambiguous.
  const key = `${operation ?? ''}\u0000${path ?? ''}`;
  let comment = byRoute.get(key);
  if (comment !== undefined) return comment;
  if (byRoute.size < MAX_SQL_COMMENTS) {
    comment = formatComment({ operation, path });
    byRoute.set(key, comment);
    return comment;
  }
  comment = byField.get(field);
  if (comment === undefined) {
    comment = formatComment({ field });
    byField.set(field, comment);
  }
  return comment;
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


const TRACEPARENT_KEY = "traceparent='";
// A sampled comment always ends in `traceparent='00-<32 hex>-<16 hex>-01'` and the comment's close:
// the key sorts last, and the value has a fixed length.
const TRACEPARENT_TAIL = TRACEPARENT_KEY.length + 55 + "'*/".length;

/** `comment` (may be '') with sqlcommenter's `traceparent` added as its last key. */
export function withTraceparent(comment: string, traceparent: string): string {
  const tag = `${TRACEPARENT_KEY}${traceparent}'`;
  return comment ? `${comment.slice(0, -2)},${tag}*/` : `/*${tag}*/`;
}

/** Whether a statement's text ends in a comment with a traceparent (checked at a fixed offset, not searched). */
export function hasTraceparent(text: string): boolean {
  return text.length > TRACEPARENT_TAIL && text.charCodeAt(text.length - 1) === 47 && text.startsWith(TRACEPARENT_KEY, text.length - TRACEPARENT_TAIL);
}
