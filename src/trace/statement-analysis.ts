// What a request's statements say about it, computed the same way on the server (the trace's
// similarCount, duplicateCount and nPlusOne) and in the explorer (which statements to flag):
//
//   similar    same SQL text, other parameters
//   duplicate  same SQL text and same parameters
//   N+1        the same text issued N_PLUS_ONE_THRESHOLD or more times by one field of a list
//              (one schema field at one response path once list indices are dropped)
//
// Texts are compared without their sqlcommenter comment. Pure, with no Node APIs: the explorer
// bundles it.

import { routeOf } from './route-of.ts';
import type { NPlusOneJson } from './trace-format.ts';

/** What the grouping reads of a statement: the server's records and the wire's statements both have it. */
export interface GroupedStatement {
  readonly sql: string;
  /** Response path with list indices (`posts.nodes.3.author`). */
  readonly path?: string;
  /** The schema field whose resolver issued it (`Post.author`). */
  readonly field?: string;
}

/** The field a statement is attributed to when no resolver scope names one. */
export const UNATTRIBUTED_FIELD = '(request)';
/** Fewer similar statements from one field are not an N+1 suspect. */
export const N_PLUS_ONE_THRESHOLD = 2;

/**
 * The N+1 group of a statement: field, route and text. A batched loader issues one statement per
 * field and level, so it never forms a group; two aliases of one field are two routes (their
 * repeats count as similar or duplicate, not as an N+1).
 */
function groupKey(s: GroupedStatement): string {
  // GraphQL names and routes never hold a NUL, so the key is unambiguous.
  return `${s.field ?? UNATTRIBUTED_FIELD}\u0000${routeOf(s.path)}\u0000${s.sql}`;
}

/**
 * Whether some text repeats among the statements, without which no N+1 group can form: the check
 * the N+1 watch makes of every request, which a batched request (a few statements, each text
 * once) passes without a key built or a map filled.
 */
export function repeatsText(statements: readonly GroupedStatement[]): boolean {
  const count = statements.length;
  if (count < N_PLUS_ONE_THRESHOLD) return false;
  if (count > 8) return new Set(statements.map((s) => s.sql)).size < count;
  for (let i = 1; i < count; i++) {
    const sql = statements[i]!.sql;
    for (let j = 0; j < i; j++) if (statements[j]!.sql === sql) return true;
  }
  return false;
}

/** N+1 suspects, worst first; ties by field, since concurrent statements finish (and are recorded) in any order. */
export function findNPlusOne(statements: readonly GroupedStatement[]): NPlusOneJson[] {
  const groups = new Map<string, NPlusOneJson>();
  for (const s of statements) {
    const key = groupKey(s);
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { sql: s.sql, count: 1, field: s.field ?? UNATTRIBUTED_FIELD });
  }
  return [...groups.values()]
    .filter((g) => g.count >= N_PLUS_ONE_THRESHOLD)
    .sort((a, b) => b.count - a.count || a.field.localeCompare(b.field) || a.sql.localeCompare(b.sql));
}

/** For each statement, whether it belongs to an N+1 group (the ones findNPlusOne lists). */
export function nPlusOneMembers(statements: readonly GroupedStatement[]): boolean[] {
  const counts = new Map<string, number>();
  const keys = statements.map(groupKey);
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return keys.map((key) => counts.get(key)! >= N_PLUS_ONE_THRESHOLD);
}

/** Statements beyond the first of each group: 3 identical statements count 2 repeats. */
export function countRepeats<S>(statements: readonly S[], keyOf: (s: S) => string): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const statement of statements) {
    const key = keyOf(statement);
    if (seen.has(key)) repeats++;
    else seen.add(key);
  }
  return repeats;
}

/** Repeats of the text alone. */
export function countSimilar(statements: readonly GroupedStatement[]): number {
  return countRepeats(statements, (s) => s.sql);
}

/**
 * Repeats of text and parameters (the server's count: the wire carries no parameter values). Only
 * statements that share their text with another can be duplicates, so only theirs are compared:
 * encoding every statement's parameters (a batch's 100 ids) showed in the profile of a traced request.
 */
export function countDuplicates(statements: readonly { readonly sql: string; readonly parameters: readonly unknown[] }[]): number {
  const texts = new Map<string, number>();
  for (const s of statements) texts.set(s.sql, (texts.get(s.sql) ?? 0) + 1);
  const similar = statements.filter((s) => (texts.get(s.sql) ?? 0) > 1);
  return countRepeats(similar, (s) => s.sql + '\u0000' + stableParams(s.parameters));
}

/** Parameters as text, bigints included (JSON.stringify alone throws on them). */
export function stableParams(parameters: readonly unknown[]): string {
  return JSON.stringify(parameters, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
}
