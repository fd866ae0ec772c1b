import { AsyncLocalStorage } from 'node:async_hooks';
import type { GraphQLResolveInfo } from 'graphql';
import type { RequestTrace } from './request-trace.ts';

type Path = GraphQLResolveInfo['path'];

/**
 * Which request (and which field and loader within it) is running SQL right now. The database
 * layer is shared by all requests, so a statement finds its request through async context, the
 * way OpenTelemetry attributes spans. A DataLoader batch runs in the scope of the first `load`
 * of its tick, so its statement is attributed to that load's field.
 */
export interface SqlScope {
  readonly trace: RequestTrace;
  readonly loader?: string;
  /** The schema field whose resolver is running (`Post.author`). */
  readonly field?: string;
  /** graphql-js's response path of that field, turned into text only when a statement needs it. */
  readonly fieldPath?: Path;
}

export const sqlScope = new AsyncLocalStorage<SqlScope>();

/** Runs `fn` with the current scope extended by `extra` (a no-op outside a request). */
export function withSqlScope<T>(extra: Omit<Partial<SqlScope>, 'trace'>, fn: () => T): T {
  const current = sqlScope.getStore();
  return current ? sqlScope.run({ ...current, ...extra }, fn) : fn();
}

/** `posts.nodes.3.author`, the way a GraphQL error reports its path. */
export function pathToString(path: Path | undefined): string | undefined {
  if (!path) return undefined;
  let text = String(path.key);
  for (let p = path.prev; p; p = p.prev) text = `${p.key}.${text}`;
  return text;
}

/** `posts.nodes.author`: the path without list indices, the same for every row of a list. */
export function pathToRoute(path: Path | undefined): string | undefined {
  if (!path) return undefined;
  let text: string | undefined;
  for (let p: Path | undefined = path; p; p = p.prev) {
    if (typeof p.key === 'number') continue;
    text = text === undefined ? p.key : `${p.key}.${text}`;
  }
  return text;
}
