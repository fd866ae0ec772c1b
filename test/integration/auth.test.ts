import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, issueApiToken } from '../../src/auth/api-token.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { snapshotDatabase } from '../support/db-snapshot.ts';
import { expectSqlCount } from '../support/expect-sql.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const CREATE = `mutation ($input: CreatePostInput!) { createPost(input: $input) { post { id } } }`;
const UPDATE = `mutation ($input: UpdatePostInput!) { updatePost(input: $input) { post { id title } } }`;
const DELETE = `mutation ($id: ID!) { deletePost(id: $id) { deletedId } }`;

let database: TestDatabase;
let server: TestServer;
let author1: Record<string, string>;
let author2: Record<string, string>;
let postOfAuthor2: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
  author1 = { authorization: `Bearer ${await issueApiToken(database.handle.db, 1)}` };
  author2 = { authorization: `Bearer ${await issueApiToken(database.handle.db, 2)}` };
  const row = await database.handle.db.selectFrom('posts').select('id').where('author_id', '=', 2).orderBy('id').executeTakeFirstOrThrow();
  postOfAuthor2 = toGlobalId('Post', row.id);
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

const db = () => database.handle.db;

describe('API tokens', () => {
  it('stores only the SHA-256 of a token', async () => {
    const token = await issueApiToken(db(), 3);
    const rows = await db().selectFrom('api_tokens').select('token_hash').where('author_id', '=', 3).execute();
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe('mutations without a valid token', () => {
  const attempts: [string, () => [string, Record<string, unknown>]][] = [
    ['createPost', () => [CREATE, { input: { title: 't', body: 'b', tags: ['never-made'] } }]],
    ['updatePost', () => [UPDATE, { input: { id: postOfAuthor2, title: 'hijacked' } }]],
    ['deletePost', () => [DELETE, { id: postOfAuthor2 }]],
  ];
  const credentials: [string, () => Record<string, string>][] = [
    ['no Authorization header', () => ({})],
    ['an unknown token', () => ({ authorization: 'Bearer inkql_not-a-real-token' })],
    ['another scheme', () => ({ authorization: `Basic ${author1.authorization!.slice(7)}` })],
  ];
  for (const [mutation, operation] of attempts) {
    it.each(credentials)(`rejects ${mutation} with %s as UNAUTHENTICATED and writes nothing`, async (_name, headers) => {
      const before = await snapshotDatabase(db());
      const [query, variables] = operation();
      const result = await server.execute(query, variables, { headers: headers() });
      // The payload is nullable: the refused mutation is null, not the whole response.
      expect(Object.values(result.data)).toEqual([null]);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await snapshotDatabase(db())).toEqual(before);
    });
  }
});

describe("another author's post", () => {
  it('cannot be updated (FORBIDDEN), and stays as it was', async () => {
    const before = await snapshotDatabase(db());
    const result = await server.execute(UPDATE, { input: { id: postOfAuthor2, title: 'hijacked', tags: ['x'] } }, { headers: author1 });
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await snapshotDatabase(db())).toEqual(before);
  });

  it('cannot be deleted (FORBIDDEN)', async () => {
    const before = await snapshotDatabase(db());
    const result = await server.execute(DELETE, { id: postOfAuthor2 }, { headers: author1 });
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await snapshotDatabase(db())).toEqual(before);
  });

  it('can be changed by its author', async () => {
    const result = await server.execute(UPDATE, { input: { id: postOfAuthor2, title: 'mine' } }, { headers: author2 });
    expect(result.errors).toBeUndefined();
    expect(result.data.updatePost.post.title).toBe('mine');
  });
});

describe('an unknown post', () => {
  it.each([
    ['updatePost', UPDATE, { input: { id: toGlobalId('Post', 999_999), title: 'x' } }],
    ['deletePost', DELETE, { id: toGlobalId('Post', 999_999) }],
  ])('is NOT_FOUND for %s, and nothing is written', async (_name, query, variables) => {
    const before = await snapshotDatabase(db());
    const result = await server.execute(query, variables, { headers: author1 });
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await snapshotDatabase(db())).toEqual(before);
  });
});

describe('reads', () => {
  it('stay public and never look up a token, with or without one', async () => {
    const query = `{ posts(first: 5) { nodes { title author { name } } } }`;
    await expectSqlCount(server, query, 1);
    await expectSqlCount(server, query, 1, undefined, author1);
    await expectSqlCount(server, query, 1, undefined, { authorization: 'Bearer garbage' });
  });

  it('a mutation looks its token up once', async () => {
    const result = await server.execute(
      `mutation { a: updatePost(input: { id: "${postOfAuthor2}", title: "one" }) { post { id } } b: updatePost(input: { id: "${postOfAuthor2}", title: "two" }) { post { id } } }`,
      {},
      { headers: author2 },
    );
    expect(result.errors).toBeUndefined();
    const lookups = result.trace.sql.statements.filter((s: any) => s.sql.includes('api_tokens'));
    expect(lookups).toHaveLength(1);
  });
});
