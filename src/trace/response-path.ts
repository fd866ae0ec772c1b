import type { GraphQLResolveInfo } from 'graphql';
import { routeOf } from './route-of.ts';

/** graphql-js's response path of a field: a linked list from the field up to the root. */
export type Path = GraphQLResolveInfo['path'];

/** `posts.nodes.3.author`, the way a GraphQL error reports its path. */
export function pathToString(path: Path | undefined): string | undefined {
  if (!path) return undefined;
  let text = String(path.key);
  for (let p = path.prev; p; p = p.prev) text = `${p.key}.${text}`;
  return text;
}

/** `posts.nodes.author`: the path without list indices, the same for every row of a list. */
export function pathToRoute(path: Path | undefined): string | undefined {
  return routeOf(pathToString(path)) || undefined;
}
