// Pure: PostGraphile 5's answers to A, B and C (bench/operations/postgraphile-*.graphql) put in
// the shape of inkql's answers to the same scenarios, so both can be checked and compared alike.

/** Code point order: Postgres's under the C collation the bench databases use. */
const byName = (a: any, b: any) => (a?.name < b?.name ? -1 : a?.name > b?.name ? 1 : 0);

/**
 * A PostGraphile post (`authorByAuthorId`, tags through `postTagsByPostId`) in inkql's shape.
 * inkql lists a post's tags by name; PostGraphile can order the join table only by its own
 * columns, so its tags are put in name order here.
 */
export function postFromPostGraphile(post: any): any {
  const tags = post?.postTagsByPostId?.nodes?.map((n: any) => n?.tagByTagId);
  return { title: post?.title, author: post?.authorByAuthorId, tags: Array.isArray(tags) ? [...tags].sort(byName) : tags };
}

/** `data` of a PostGraphile response to scenario `id`, in the shape of inkql's `data` for it. */
export function dataFromPostGraphile(id: 'A' | 'B' | 'C', data: any): any {
  if (id !== 'C') return { posts: { nodes: data?.allPosts?.nodes?.map(postFromPostGraphile) } };
  const authors = data?.allAuthors?.nodes?.map((author: any) => ({
    name: author?.name,
    posts: { edges: author?.postsByAuthorId?.edges?.map((edge: any) => ({ node: postFromPostGraphile(edge?.node) })) },
  }));
  return { authors: { nodes: authors } };
}
