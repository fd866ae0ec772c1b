import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestServer, TEST_SIZE, type TestDatabase, type TestServer } from '../support/index.ts';

// A request runs one of four builds of the schema (graphql/build-schemas.ts): bare, with SQL
// attributed to fields, with root and object fields timed, or with every field timed. graphql-jit
// compiles each separately, and it resolves a field without a resolver by reading the property
// (never calling it), so all four must give
// the same answer for every kind of field: methods (totalCount), getters (pageInfo, cursors),
// interfaces, scalars and nested pages.

const EVERY_KIND = /* GraphQL */ `
  query EveryKind($first: Int!) {
    posts(first: $first) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id title createdAt wordCount readingTimeMinutes author { name postCount } tags { name } } }
    }
    authors(first: 2) { totalCount nodes { name posts(first: 2) { totalCount edges { cursor node { title } } } } }
    tags(first: 2) { totalCount nodes { name postCount posts(first: 1) { totalCount nodes { title } } } }
    stats { postCount }
  }`;

let database: TestDatabase;
let bare: TestServer;
let attributed: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  // No SQL comments, no SQL log and no metrics: nothing needs to know which field ran a statement.
  bare = await startTestServer(database, { trace: { sqlComments: false }, log: { sql: false }, metrics: { enabled: false } });
  attributed = await startTestServer(database);
});

afterAll(async () => {
  await bare?.close();
  await attributed?.close();
  await database?.close();
});

describe('the four builds of the schema', () => {
  it('answer every kind of field alike: bare, attributed, shown and timed', async () => {
    const bareResult = await bare.execute(EVERY_KIND, { first: 3 }, { trace: false });
    const attributedResult = await attributed.execute(EVERY_KIND, { first: 3 }, { trace: false });
    const shownResult = await attributed.execute(EVERY_KIND, { first: 3 });
    const timedResult = await attributed.execute(EVERY_KIND, { first: 3 }, { headers: { 'x-inkql-trace': 'resolvers' } });
    expect(bareResult.errors).toBeUndefined();
    expect(bareResult.data.posts.totalCount).toBe(TEST_SIZE.posts);
    expect(bareResult.data.posts.pageInfo.hasNextPage).toBe(true);
    expect(bareResult.data.posts.edges[2].cursor).toBe(bareResult.data.posts.pageInfo.endCursor);
    expect(attributedResult.errors).toBeUndefined();
    expect(timedResult.errors).toBeUndefined();
    expect(attributedResult.data).toEqual(bareResult.data);
    expect(timedResult.data).toEqual(bareResult.data);
    expect(shownResult.errors).toBeUndefined();
    expect(shownResult.data).toEqual(bareResult.data);
    // The timed build is the traced one: it recorded a timing for a plain property too.
    expect(timedResult.trace.resolvers.map((r: { field: string }) => r.field)).toContain('Post.title');
  });
});
