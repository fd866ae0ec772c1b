import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/global-id.ts';
import { createTestDatabase, expectNoNPlusOne, expectSqlCount, startTestServer, type TestDatabase, type TestServer } from '../support/index.ts';

// The number of statements depends on the query's shape, never on the rows.

const POSTS_WITH_RELATIONS = /* GraphQL */ `
  query ($first: Int!) { posts(first: $first) { nodes { title author { name } tags { name } } } }`;

const AUTHORS_WITH_POSTS = /* GraphQL */ `
  { authors(first: 10) { nodes { name posts(first: 10) { edges { node { title tags { name } } } } } } }`;

const AUTHORS_WITH_POSTS_AND_TOTALS = /* GraphQL */ `
  { authors(first: 10) { totalCount nodes { name posts(first: 10) { totalCount edges { node { title tags { name } } } } } } }`;

const SHARED_COUNTS = /* GraphQL */ `{ authors(first: 10) { nodes { postCount posts(first: 2) { totalCount nodes { title } } } } }`;

const TAGS_WITH_POSTS = /* GraphQL */ `{ tags(first: 10) { nodes { name postCount posts(first: 5) { totalCount nodes { title author { name } } } } } }`;

const STATS = /* GraphQL */ `{ stats { postCount authorCount tagCount totalWords topTags { count tag { name } } } }`;

const NODES = /* GraphQL */ `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`;

const BODIES = /* GraphQL */ `{ posts(first: 20) { nodes { body excerpt(words: 3) } } }`;

const FILTERED = /* GraphQL */ `query ($a: ID!) { posts(first: 5, tag: "graphql", authorId: $a) { nodes { title } } }`;

const AUTHOR_PAGE = /* GraphQL */ `query ($id: ID!) { author(id: $id) { postCount posts(first: 5) { nodes { tags { name } } } } }`;

const NODE_IDS = [toGlobalId('Post', 1), toGlobalId('Post', 2), toGlobalId('Author', 1), toGlobalId('Post', 3), toGlobalId('Author', 2)];

/** Every batched operation of this file, with its variables: none may show an N+1 suspect. */
const BATCHED_OPERATIONS: [string, Record<string, unknown>?][] = [
  [POSTS_WITH_RELATIONS, { first: 100 }],
  [AUTHORS_WITH_POSTS],
  [AUTHORS_WITH_POSTS_AND_TOTALS],
  [SHARED_COUNTS],
  [TAGS_WITH_POSTS],
  [STATS],
  [NODES, { ids: NODE_IDS }],
  [BODIES],
  [FILTERED, { a: toGlobalId('Author', 1) }],
  [AUTHOR_PAGE, { id: toGlobalId('Author', 1) }],
];
const POSTS_WITH_AUTHOR_COUNTS = /* GraphQL */ `{ posts(first: 100) { nodes { author { postCount } } } }`;

let database: TestDatabase;
let batched: TestServer;
let naive: TestServer;
let cached: TestServer;

// The counts below are cold-cache counts: `batched` and `naive` run with the cache off, so that
// the order of the tests does not decide what is cached. `cached` shows what the cache saves.
beforeAll(async () => {
  database = await createTestDatabase();
  batched = await startTestServer(database, { cache: { enabled: false } });
  naive = await startTestServer(database, { database: { batching: false }, cache: { enabled: false } });
  cached = await startTestServer(database);
});

afterAll(async () => {
  await batched?.close();
  await naive?.close();
  await cached?.close();
  await database?.close();
});

describe('batched', () => {
  it('loads 100 posts with their authors and tags in 1 statement', async () => {
    const result = await expectSqlCount(batched, POSTS_WITH_RELATIONS, 1, { first: 100 });
    expect(result.data.posts.nodes).toHaveLength(100);
    expect(result.trace.sql.statements.map((s: any) => [s.field, s.loader ?? null])).toEqual([['Query.posts', null]]);
    // Post.author and Post.tags take what the page read off each row: no loader runs.
    expect(result.trace.loaders).toEqual({});
  });

  it('gives the same posts, authors and tags in its 1 statement as the naive server in 41', async () => {
    const [one, naiveResult] = await Promise.all([
      expectSqlCount(batched, POSTS_WITH_RELATIONS, 1, { first: 20 }),
      expectSqlCount(naive, POSTS_WITH_RELATIONS, 41, { first: 20 }),
    ]);
    expect(one.data).toEqual(naiveResult.data);
    expect(one.data.posts.nodes.some((post: any) => post.tags.length > 1)).toBe(true);
  });

  it('reads author and tags through fragments and edges in the page statement too', async () => {
    const query = `{ posts(first: 30, orderBy: { field: TITLE, direction: ASC }) { edges { node { ...P } } } }
      fragment P on Post { title ... on Post { author { name } } tags { name } }`;
    const result = await expectSqlCount(batched, query, 1);
    expect(result.data).toEqual((await expectSqlCount(naive, query, 61)).data);
  });

  it('gives each author field the columns it reads when a page selects author in several ways', async () => {
    const query = `query ($id: ID!) {
      posts(first: 20) {
        nodes { author { name } full: author { name bio createdAt } }
        edges { node { author { bio } } }
      }
      author(id: $id) { name bio createdAt }
    }`;
    const variables = { id: toGlobalId('Author', 1) };
    // The page statement, then the root author (its own loader: the page's rows are not its source).
    const result = await expectSqlCount(batched, query, 2, variables);
    expect(result.trace.sql.statements.map((s: any) => s.field).sort()).toEqual(['Query.author', 'Query.posts']);
    expect(result.data).toEqual((await naive.execute(query, variables)).data);
    const [first] = result.data.posts.nodes;
    expect(Object.keys(first.author)).toEqual(['name']);
    expect(first.full.createdAt).toMatch(/^\d{4}-/);
    expect(result.data.posts.edges[0].node.author).toHaveProperty('bio');
  });

  it('reads authors and tags along on a backward, filtered page before a cursor too', async () => {
    const ordered = `orderBy: { field: TITLE, direction: DESC }, tag: "graphql"`;
    const cursor = await batched.execute(`{ posts(first: 6, ${ordered}) { pageInfo { endCursor } } }`);
    const query = `query ($before: String!) { posts(last: 3, before: $before, ${ordered}) { nodes { title author { name bio } tags { name } } } }`;
    const variables = { before: cursor.data.posts.pageInfo.endCursor };
    const result = await expectSqlCount(batched, query, 1, variables);
    expect(result.data.posts.nodes).toHaveLength(3);
    expect(result.data).toEqual((await naive.execute(query, variables)).data);
  });

  it('joins authors and tags into child pages of posts by tag', async () => {
    const result = await expectSqlCount(batched, TAGS_WITH_POSTS, 3);
    expect(result.data).toEqual((await naive.execute(TAGS_WITH_POSTS)).data);
  });

  it('gives child pages with every column, timestamp and cursor as the naive server does, after a cursor too', async () => {
    const fields = `pageInfo { hasNextPage endCursor } edges { cursor node { id title body wordCount createdAt updatedAt tags { name } } }`;
    const first = `{ authors(first: 4) { nodes { name posts(first: 3) { ${fields} } } } tags(first: 3) { nodes { posts(first: 2) { ${fields} } } } }`;
    const result = await expectSqlCount(batched, first, 4);
    expect(result.data).toEqual((await naive.execute(first)).data);
    const author = result.data.authors.nodes.find((node: any) => node.posts.pageInfo.hasNextPage);
    expect(author.posts.edges[0].node.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // The next page, after the cursor a json page gave: its timestamp must have come back exact.
    const next = `query ($after: String!) { authors(first: 4) { nodes { posts(first: 3, after: $after) { ${fields} } } } }`;
    const variables = { after: author.posts.pageInfo.endCursor };
    const following = await expectSqlCount(batched, next, 2, variables);
    expect(following.data).toEqual((await naive.execute(next, variables)).data);
    const page = following.data.authors.nodes[result.data.authors.nodes.indexOf(author)].posts.edges;
    expect(page.length).toBeGreaterThan(0);
    expect(page.map((edge: any) => edge.node.id)).not.toContain(author.posts.edges.at(-1).node.id);
  });

  it('runs the same 1 statement whatever the page size', async () => {
    for (const first of [1, 7, 50, 100]) await expectSqlCount(batched, POSTS_WITH_RELATIONS, 1, { first });
  });

  it('loads the posts of 10 authors, with their tags, in one statement per level (2 in all)', async () => {
    const result = await expectSqlCount(batched, AUTHORS_WITH_POSTS, 2);
    expect(result.data.authors.nodes).toHaveLength(10);
    expect(result.trace.sql.statements.map((s: any) => [s.field, s.loader ?? null])).toEqual([
      ['Query.authors', null],
      ['Author.posts', 'postsByAuthorId'],
    ]);
  });

  it('adds one batched statement per totalCount level (4 in all)', async () => {
    const result = await expectSqlCount(batched, AUTHORS_WITH_POSTS_AND_TOTALS, 4);
    expect(result.data.authors.totalCount).toBe(12);
  });

  it('shares one count statement between Author.postCount and Author.posts.totalCount', async () => {
    await expectSqlCount(batched, SHARED_COUNTS, 3);
  });

  it('batches the posts of many tags, their authors and their counts', async () => {
    const result = await expectSqlCount(
      batched,
      TAGS_WITH_POSTS,
      3,
    );
    for (const tag of result.data.tags.nodes) expect(tag.posts.totalCount).toBe(tag.postCount);
  });

  it('runs the stats aggregate as one statement', async () => {
    await expectSqlCount(batched, STATS, 1);
  });

  it('loads nodes of two types with one statement per type', async () => {
    const result = await expectSqlCount(batched, NODES, 2, { ids: NODE_IDS });
    expect(result.data.nodes.map((n: any) => n.id)).toEqual(NODE_IDS);
  });

  it('fetches bodies with the page when the query asks for them', async () => {
    await expectSqlCount(batched, BODIES, 1);
  });

  it('filters by tag and author in the page statement itself', async () => {
    await expectSqlCount(batched, FILTERED, 1, {
      a: toGlobalId('Author', 1),
    });
  });

  it('serves an author page with posts, tags and post count in 3 statements', async () => {
    await expectSqlCount(
      batched,
      AUTHOR_PAGE,
      3,
      { id: toGlobalId('Author', 1) },
    );
  });

  it('never repeats a statement within a request', async () => {
    const result = await expectSqlCount(batched, AUTHORS_WITH_POSTS_AND_TOTALS, 4);
    expect(result.trace.sql.similarCount).toBe(0);
    expect(result.trace.sql.duplicateCount).toBe(0);
  });

  it('finds no N+1 suspect in any batched operation', async () => {
    for (const [query, variables] of BATCHED_OPERATIONS) await expectNoNPlusOne(batched, query, variables);
  });
});

describe('with the cache (in-memory LRU)', () => {
  it('serves stats from the cache with no SQL once computed', async () => {
    const query = `{ stats { postCount totalWords topTags(limit: 3) { count tag { name } } computedAt } }`;
    const cold = await expectSqlCount(cached, query, 1);
    expect(cold.trace.cache.families.stats).toEqual({ hits: 0, misses: 1 });
    const warm = await expectSqlCount(cached, query, 0);
    expect(warm.trace.cache).toMatchObject({ backend: 'memory', families: { stats: { hits: 1, misses: 0 } } });
    expect(warm.data).toEqual(cold.data);
  });

  it("counts the posts of a page's authors in one statement cold and none warm", async () => {
    const cold = await expectSqlCount(cached, POSTS_WITH_AUTHOR_COUNTS, 2);
    expect(cold.trace.sql.statements.map((s: any) => s.loader ?? null)).toEqual([null, 'postCountByAuthorId']);
    // The loader dedupes the page's authors: one cache key per distinct author (all 12 of the test blog).
    expect(cold.trace.cache.families.authorPostCount).toEqual({ hits: 0, misses: 12 });
    const warm = await expectSqlCount(cached, POSTS_WITH_AUTHOR_COUNTS, 1);
    expect(warm.trace.cache.families.authorPostCount).toEqual({ hits: 12, misses: 0 });
    expect(warm.data).toEqual(cold.data);
  });
});

describe('naive (INKQL_BATCHING=off)', () => {
  it('runs 1 + 2 x 20 statements for 20 posts with authors and tags', async () => {
    const result = await expectSqlCount(naive, POSTS_WITH_RELATIONS, 1 + 2 * 20, { first: 20 });
    expect(result.trace.sql.similarCount).toBe(2 * 20 - 2);
  });

  it('reports Post.author and Post.tags as N+1 suspects on a 20-post list', async () => {
    const result = await naive.execute(POSTS_WITH_RELATIONS, { first: 20 });
    expect(result.trace.nPlusOne.map(({ field, count }) => ({ field, count }))).toEqual([
      { field: 'Post.author', count: 20 },
      { field: 'Post.tags', count: 20 },
    ]);
    expect(result.trace.nPlusOne[0]!.sql).toMatch(/from "authors"/);
    expect(result.trace.nPlusOne[1]!.sql).toMatch(/from "post_tags"/);
  });

  it('grows with the page size', async () => {
    await expectSqlCount(naive, POSTS_WITH_RELATIONS, 1 + 2 * 5, { first: 5 });
  });

  it('can be chosen per request in development with X-Inkql-Batching: off', async () => {
    const result = await expectSqlCount(batched, POSTS_WITH_RELATIONS, 1 + 2 * 10, { first: 10 }, { 'x-inkql-batching': 'off' });
    expect(result.trace.nPlusOne.map((g: any) => g.field)).toEqual(['Post.author', 'Post.tags']);
    await expectNoNPlusOne(batched, POSTS_WITH_RELATIONS, { first: 10 });
  });

  it('returns the same data as the batched server', async () => {
    const [a, b] = await Promise.all([
      batched.execute(AUTHORS_WITH_POSTS_AND_TOTALS),
      naive.execute(AUTHORS_WITH_POSTS_AND_TOTALS),
    ]);
    expect(b.data).toEqual(a.data);
    expect(b.trace.sql.count).toBeGreaterThan(a.trace.sql.count);
  });
});
