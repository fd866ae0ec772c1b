const LIST_INDEX = /^\d+$/;

/**
 * `posts.nodes.3.author` -> `posts.nodes.author`: a response path without its list indices, the
 * same for every row of a list (response keys are GraphQL names, never numbers). Pure, with no
 * imports: the explorer bundles it too.
 */
export function routeOf(path: string | undefined): string {
  return (path ?? '').split('.').filter((segment) => !LIST_INDEX.test(segment)).join('.');
}
