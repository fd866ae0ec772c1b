import type { GraphQLResolveInfo } from 'graphql';

export type Path = GraphQLResolveInfo['path'];

/** Which field (and loader) of a request is running right now, synchronously. */
export interface FieldScope {
  /** The schema field whose resolver is running (`Post.author`). */
  readonly field?: string;
  /** graphql-js's response path of that field, turned into text only when a statement needs it. */
  readonly fieldPath?: Path;
  readonly loader?: string;
}

/** `posts.nodes.3.author`, the way a GraphQL error reports its path. */
export function pathToString(path: Path | undefined): string | undefined {
  if (!path) return undefined;
  let text = String(path.key);
  for (let p = path.prev; p; p = p.prev) text = `${p.key}.${text}`;
  return text;
}
