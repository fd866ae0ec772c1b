import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { GraphQLClient } from 'graphql-request';
import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Real GraphQL clients against a real server: what frontend apps will do with inkql.

const PAGE_SIZE = 7;
const PAGES = 3;

const POSTS = gql`
  query Posts($first: Int!, $after: String) {
    posts(first: $first, after: $after) {
      edges { cursor node { id title author { id name } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

/** The database's own order for `posts` (created_at DESC, ties by id). */
async function postIdsInDatabaseOrder(limit: number): Promise<string[]> {
  const rows = await database.handle.db
    .selectFrom('posts')
    .select('id')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => toGlobalId('Post', row.id));
}

describe('@apollo/client', () => {
  it('pages three pages of posts with fetchMore into one list in database order', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: server.url }),
      // The only configuration: global IDs and __typename normalize everything else.
      cache: new InMemoryCache({ typePolicies: { Query: { fields: { posts: relayStylePagination() } } } }),
    });
    const observable = client.watchQuery({ query: POSTS, variables: { first: PAGE_SIZE } });
    const complete = () => firstValueFrom(observable.pipe(filter((result) => result.dataState === 'complete' && !result.loading)));
    let result = await complete();
    for (let page = 1; page < PAGES; page++) {
      const { endCursor } = (result.data as any).posts.pageInfo;
      await observable.fetchMore({ variables: { after: endCursor } });
      result = observable.getCurrentResult() as typeof result;
    }
    const posts = (result.data as any).posts;
    expect(posts.edges.map((edge: any) => edge.node.id)).toEqual(await postIdsInDatabaseOrder(PAGE_SIZE * PAGES));
    expect(posts.pageInfo.hasNextPage).toBe(true);

    // Normalized by __typename + global id: each post and each author is stored once.
    const stored = client.cache.extract() as Record<string, unknown>;
    const postKeys = Object.keys(stored).filter((key) => key.startsWith('Post:'));
    const authorKeys = Object.keys(stored).filter((key) => key.startsWith('Author:'));
    expect(postKeys).toHaveLength(PAGE_SIZE * PAGES);
    expect(authorKeys.length).toBe(new Set(posts.edges.map((edge: any) => edge.node.author.id)).size);
    expect(client.cache.identify(posts.edges[0].node)).toBe(`Post:${posts.edges[0].node.id}`);
    client.stop();
  });
});

describe('graphql-request', () => {
  it('creates a post with a token and reads it back on the next request', async () => {
    const author = await database.handle.db.selectFrom('authors').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
    const token = await issueApiToken(database.handle.db, author.id);
    const client = new GraphQLClient(server.url, { headers: { authorization: `Bearer ${token}` } });
    const title = `Written by graphql-request ${Date.now()}`;
    const created = await client.request<any>(
      /* GraphQL */ `mutation CreatePost($input: CreatePostInput!) { createPost(input: $input) { post { id title author { id } } } }`,
      { input: { title, body: 'A post created through a real GraphQL client.', tags: ['graphql'] } },
    );
    expect(created.createPost.post.title).toBe(title);
    expect(created.createPost.post.author.id).toBe(toGlobalId('Author', author.id));

    const read = await new GraphQLClient(server.url).request<any>(
      /* GraphQL */ `query ($id: ID!) { post(id: $id) { title tags { name } } posts(first: 1) { nodes { id } } }`,
      { id: created.createPost.post.id },
    );
    expect(read.post).toEqual({ title, tags: [{ name: 'graphql' }] });
    expect(read.posts.nodes[0].id).toBe(created.createPost.post.id);
  });
});
