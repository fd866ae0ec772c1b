import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/global-id.ts';
import { MAX_PAGE_SIZE } from '../../src/pagination/connection-args.ts';
import { encodeCursor } from '../../src/pagination/cursor.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Every bad argument is the client's mistake: a GraphQL error with a code that names the
// argument, never a 500, and (where it can be refused before loading) no SQL at all.

const base64url = (text: string) => Buffer.from(text).toString('base64url');
const AFTER_POSTS = `query ($after: String) { posts(first: 5, after: $after) { nodes { id } } }`;
const BEFORE_TITLES = `query ($before: String) { posts(last: 5, before: $before, orderBy: { field: TITLE, direction: ASC }) { nodes { id } } }`;

interface BadInput {
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly argument: string;
  /** Statements allowed before the refusal (0: refused before any SQL ran). */
  readonly sql: number;
}

const cases: BadInput[] = [
  { name: 'first: 101', query: `{ posts(first: 101) { nodes { id } } }`, argument: 'first', sql: 0 },
  { name: 'first: -1', query: `{ posts(first: -1) { nodes { id } } }`, argument: 'first', sql: 0 },
  { name: 'last: 101', query: `{ posts(last: 101) { nodes { id } } }`, argument: 'last', sql: 0 },
  { name: 'first with last', query: `{ posts(first: 5, last: 5) { nodes { id } } }`, argument: 'first', sql: 0 },
  { name: 'authors(first: 101)', query: `{ authors(first: 101) { nodes { id } } }`, argument: 'first', sql: 0 },
  { name: 'tags(last: -1)', query: `{ tags(last: -1) { nodes { id } } }`, argument: 'last', sql: 0 },
  { name: 'a garbage cursor', query: AFTER_POSTS, variables: { after: 'not a cursor!' }, argument: 'after', sql: 0 },
  { name: 'a cursor of base64 non-JSON', query: AFTER_POSTS, variables: { after: base64url('hello') }, argument: 'after', sql: 0 },
  {
    name: 'a cursor of the wrong arity',
    query: AFTER_POSTS,
    variables: { after: base64url(JSON.stringify(['CREATED_AT', '2024-01-01T00:00:00.000Z'])) },
    argument: 'after',
    sql: 0,
  },
  {
    name: 'a TITLE cursor used with CREATED_AT',
    query: AFTER_POSTS,
    variables: { after: encodeCursor('TITLE', 'Fast queries', 7) },
    argument: 'after',
    sql: 0,
  },
  { name: 'a TITLE cursor with a number', query: BEFORE_TITLES, variables: { before: encodeCursor('TITLE', 42, 7) }, argument: 'before', sql: 0 },
  {
    name: 'a CREATED_AT cursor that is not a date',
    query: AFTER_POSTS,
    variables: { after: encodeCursor('CREATED_AT', 'yesterday-ish', 7) },
    argument: 'after',
    sql: 0,
  },
  ...['2024-02-30T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00.000Z'].map(
    (value): BadInput => ({
      name: `a CREATED_AT cursor at ${value}, which Date.parse accepts and Postgres does not`,
      query: AFTER_POSTS,
      variables: { after: encodeCursor('CREATED_AT', value, 7) },
      argument: 'after',
      sql: 0,
    }),
  ),
  { name: 'a TITLE cursor holding a NUL character', query: BEFORE_TITLES, variables: { before: encodeCursor('TITLE', 'a\u0000b', 7) }, argument: 'before', sql: 0 },
  {
    name: 'a cursor with an id past int4',
    query: AFTER_POSTS,
    variables: { after: encodeCursor('CREATED_AT', '2024-01-01T00:00:00.000Z', 2 ** 31) },
    argument: 'after',
    sql: 0,
  },
  {
    name: 'a cursor with a fractional id',
    query: AFTER_POSTS,
    variables: { after: base64url(JSON.stringify(['CREATED_AT', '2024-01-01T00:00:00.000Z', 1.5])) },
    argument: 'after',
    sql: 0,
  },
  { name: 'a malformed global ID', query: `{ post(id: "not-an-id") { id } }`, argument: 'id', sql: 0 },
  { name: 'a malformed node ID', query: `{ node(id: "UG9zdDo=") { id } }`, argument: 'id', sql: 0 },
  { name: 'an Author ID for post(id:)', query: `query ($id: ID!) { post(id: $id) { id } }`, variables: { id: toGlobalId('Author', 1) }, argument: 'id', sql: 0 },
  { name: 'a Post ID for author(id:)', query: `query ($id: ID!) { author(id: $id) { id } }`, variables: { id: toGlobalId('Post', 1) }, argument: 'id', sql: 0 },
  {
    name: 'a Post ID for posts(authorId:)',
    query: `query ($a: ID) { posts(first: 5, authorId: $a) { nodes { id } } }`,
    variables: { a: toGlobalId('Post', 1) },
    argument: 'authorId',
    sql: 0,
  },
  {
    name: `nodes with ${MAX_PAGE_SIZE + 1} ids`,
    query: `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
    variables: { ids: Array.from({ length: MAX_PAGE_SIZE + 1 }, (_, i) => toGlobalId('Post', i + 1)) },
    argument: 'ids',
    sql: 0,
  },
  { name: 'posts(tag:) holding a NUL character', query: `query ($t: String) { posts(tag: $t) { nodes { id } } }`, variables: { t: 'a\u0000b' }, argument: 'tag', sql: 0 },
  { name: 'tag(name:) holding a NUL character', query: `query ($t: String!) { tag(name: $t) { id } }`, variables: { t: 'a\u0000b' }, argument: 'name', sql: 0 },
  // The page loads first; the refusal comes when each post's excerpt resolves.
  { name: 'excerpt(words: 0)', query: `{ posts(first: 2) { nodes { excerpt(words: 0) } } }`, argument: 'words', sql: 1 },
  { name: 'excerpt(words: 501)', query: `{ posts(first: 2) { nodes { excerpt(words: 501) } } }`, argument: 'words', sql: 1 },
  // stats is one statement for the whole object; topTags slices it afterwards.
  { name: 'topTags(limit: 101)', query: `{ stats { topTags(limit: 101) { count } } }`, argument: 'limit', sql: 1 },
  { name: 'topTags(limit: 0)', query: `{ stats { topTags(limit: 0) { count } } }`, argument: 'limit', sql: 1 },
  // The authors load; their child pages are refused before the batched posts statement.
  { name: 'Author.posts(first: 101)', query: `{ authors(first: 3) { nodes { posts(first: 101) { nodes { id } } } } }`, argument: 'first', sql: 1 },
  {
    name: 'Tag.posts with a foreign cursor',
    query: `query ($after: String) { tags(first: 2) { nodes { posts(after: $after) { nodes { id } } } } }`,
    variables: { after: encodeCursor('NAME', 'graphql', 1) },
    argument: 'after',
    sql: 1,
  },
];

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  // Cold-cache SQL counts: with the cache on, the second stats case would be served from it (0 statements).
  server = await startTestServer(database, { cache: { enabled: false } });
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe('bad arguments', () => {
  it.each(cases)('refuses $name with BAD_USER_INPUT naming "$argument"', async ({ query, variables, argument, sql }) => {
    const result = await server.execute(query, variables);
    expect(result.status).toBeLessThan(500);
    expect(result.errors?.length).toBeGreaterThan(0);
    const error = result.errors![0]!;
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.extensions?.argumentName).toBe(argument);
    expect(error.message).toContain(`"${argument}"`);
    expect(error.extensions).not.toHaveProperty('stacktrace');
    expect(result.trace.sql.count, result.trace.sql.statements.map((s: any) => s.sql).join('\n')).toBe(sql);
  });
});

describe('unknown but well-formed IDs', () => {
  it('answers null for a post, an author and a node that do not exist, without an error', async () => {
    const result = await server.execute(`query ($p: ID!, $a: ID!, $n: ID!) { post(id: $p) { id } author(id: $a) { id } node(id: $n) { id } }`, {
      p: toGlobalId('Post', 999_999),
      a: toGlobalId('Author', 999_999),
      n: toGlobalId('Tag', 999_999),
    });
    expect(result.status).toBe(200);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ post: null, author: null, node: null });
  });

  it('answers null in place for the missing ones among nodes', async () => {
    const ids = [toGlobalId('Post', 1), toGlobalId('Post', 999_999), toGlobalId('Author', 1)];
    const result = await server.execute(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(result.errors).toBeUndefined();
    expect(result.data.nodes).toEqual([{ id: ids[0] }, null, { id: ids[2] }]);
  });

  it('answers the good ones among nodes and null with an error at the path of each malformed one', async () => {
    // A bad ID last too: a list must keep its length whichever item fails.
    const ids = [toGlobalId('Post', 1), 'garbage', toGlobalId('Author', 1), '%%%'];
    const result = await server.execute(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(result.status).toBe(200);
    expect(result.data.nodes).toEqual([{ id: ids[0] }, null, { id: ids[2] }, null]);
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: 'Argument "ids" is not a valid ID, got "garbage"',
        path: ['nodes', 1],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'ids' },
      }),
      expect.objectContaining({
        message: 'Argument "ids" is not a valid ID, got "%%%"',
        path: ['nodes', 3],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'ids' },
      }),
    ]);
  });

  it('answers null for an unknown tag name', async () => {
    const result = await server.execute(`{ tag(name: "no-such-tag") { id } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ tag: null });
  });
});

describe('bad requests', () => {
  async function post(body: string, contentType = 'application/json') {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': contentType }, body });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('answers an invalid JSON body with 400 and a GraphQL error', async () => {
    const { status, body } = await post('{"query": "{ posts { totalCount } }"');
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers an empty JSON body with 400 and a GraphQL error', async () => {
    const { status, body } = await post('');
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers a body over the limit with 413 and a GraphQL error', async () => {
    const { status, body } = await post(JSON.stringify({ query: `# ${'x'.repeat(DEFAULT_MAX_BODY_BYTES)}\n{ stats { postCount } }` }));
    expect(status).toBe(413);
    expect(body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a body without a query with 400 BAD_REQUEST', async () => {
    const { status, body } = await post('{"variables": {}}');
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('answers an unknown field with 400 GRAPHQL_VALIDATION_FAILED naming the field', async () => {
    const { status, body } = await post(JSON.stringify({ query: '{ posts { nope } }' }));
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors[0].message).toContain('nope');
  });

  it('answers a syntax error with 400 GRAPHQL_PARSE_FAILED', async () => {
    const { status, body } = await post(JSON.stringify({ query: '{ posts { ' }));
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('answers a variable of the wrong type with 400 BAD_USER_INPUT naming the variable', async () => {
    const { status, body } = await post(JSON.stringify({ query: 'query ($n: Int) { posts(first: $n) { totalCount } }', variables: { n: 'ten' } }));
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toContain('$n');
  });
});
