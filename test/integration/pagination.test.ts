import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/global-id.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Every page of every list, walked through the real server, must concatenate to exactly what a
// direct SQL `ORDER BY sort, id` returns on the same database: no duplicates, no gaps, even
// across rows that share a timestamp.

const CONNECTION_FIELDS = /* GraphQL */ `
  totalCount
  edges { cursor node { id } }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

const PAGE_ARGS = 'first: $first, after: $after, last: $last, before: $before';
const PAGE_VARS = '$first: Int, $after: String, $last: Int, $before: String';

const POSTS = /* GraphQL */ `
  query (${PAGE_VARS}, $orderBy: PostOrder, $tag: String, $authorId: ID) {
    list: posts(${PAGE_ARGS}, orderBy: $orderBy, tag: $tag, authorId: $authorId) { ${CONNECTION_FIELDS} }
  }`;
const AUTHORS = /* GraphQL */ `
  query (${PAGE_VARS}, $orderBy: AuthorOrder) { list: authors(${PAGE_ARGS}, orderBy: $orderBy) { ${CONNECTION_FIELDS} } }`;
const TAGS = /* GraphQL */ `query (${PAGE_VARS}) { list: tags(${PAGE_ARGS}) { ${CONNECTION_FIELDS} } }`;
const AUTHOR_POSTS = /* GraphQL */ `
  query (${PAGE_VARS}, $orderBy: PostOrder, $id: ID!) {
    author(id: $id) { list: posts(${PAGE_ARGS}, orderBy: $orderBy) { ${CONNECTION_FIELDS} } }
  }`;
const TAG_POSTS = /* GraphQL */ `
  query (${PAGE_VARS}, $orderBy: PostOrder, $name: String!) {
    tag(name: $name) { list: posts(${PAGE_ARGS}, orderBy: $orderBy) { ${CONNECTION_FIELDS} } }
  }`;

type Direction = 'ASC' | 'DESC';
type Walk = 'forwards' | 'backwards';

interface Page {
  totalCount: number;
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  // The test seed gives every author a post; an author without any is an edge the walks must cover.
  await sql`insert into authors (name, bio) values ('Nobody Postless', null)`.execute(database.handle.db);
  server = await startTestServer(database);
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

async function fetchPage(query: string, variables: Record<string, unknown>, pick: (data: any) => Page): Promise<Page> {
  const result = await server.execute(query, variables, { trace: false });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return pick(result.data);
}

/**
 * Walks a connection to its end, checking each page's pageInfo against the ground truth, and
 * returns the concatenated ids in list order.
 */
async function walk(
  query: string,
  variables: Record<string, unknown>,
  size: number,
  direction: Walk,
  expected: readonly string[],
  pick: (data: any) => Page = (data) => data.list,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  // A bound on the loop, so that a connection that never ends fails instead of hanging.
  const maxPages = Math.ceil(expected.length / size) + 2;
  for (let index = 0; index < maxPages; index++) {
    const args =
      direction === 'forwards' ? { first: size, after: cursor, last: null, before: null } : { last: size, before: cursor, first: null, after: null };
    const page = await fetchPage(query, { ...variables, ...args }, pick);
    const ids = page.edges.map((edge) => edge.node.id);
    if (direction === 'forwards') seen.push(...ids);
    else seen.unshift(...ids);
    const remaining = expected.length - seen.length;
    const where = `${direction} page ${index} of ${JSON.stringify(variables)} by ${size}`;
    expect(page.totalCount, where).toBe(expected.length);
    expect(page.edges.length, where).toBe(Math.min(size, expected.length - (seen.length - ids.length)));
    expect(page.pageInfo.startCursor, where).toBe(page.edges[0]?.cursor ?? null);
    expect(page.pageInfo.endCursor, where).toBe(page.edges.at(-1)?.cursor ?? null);
    const [towardsEnd, towardsStart] =
      direction === 'forwards'
        ? [page.pageInfo.hasNextPage, page.pageInfo.hasPreviousPage]
        : [page.pageInfo.hasPreviousPage, page.pageInfo.hasNextPage];
    expect(towardsEnd, `${where}: more to come`).toBe(remaining > 0);
    expect(towardsStart, `${where}: a page behind`).toBe(index > 0);
    if (remaining <= 0) return seen;
    cursor = direction === 'forwards' ? page.pageInfo.endCursor : page.pageInfo.startCursor;
  }
  throw new Error(`the ${direction} walk did not end within ${maxPages} pages`);
}

function expectSameList(walked: readonly string[], expected: readonly string[]): void {
  expect(new Set(walked).size, 'no duplicates').toBe(walked.length);
  expect(walked).toEqual(expected);
}

interface PostFilter {
  readonly label: string;
  readonly tag?: string;
  readonly authorId?: number;
}

async function expectedPostIds(field: 'CREATED_AT' | 'TITLE', direction: Direction, filter: PostFilter): Promise<string[]> {
  const column = sql.ref(field === 'TITLE' ? 'post.title' : 'post.created_at');
  const dir = sql.raw(direction);
  const join =
    filter.tag === undefined
      ? sql``
      : sql`join post_tags link on link.post_id = post.id join tags tag on tag.id = link.tag_id and tag.name = ${filter.tag}`;
  const where = filter.authorId === undefined ? sql`true` : sql`post.author_id = ${filter.authorId}`;
  const { rows } = await sql<{ id: number }>`select post.id from posts post ${join} where ${where}
    order by ${column} ${dir}, post.id ${dir}`.execute(database.handle.db);
  return rows.map((row) => toGlobalId('Post', row.id));
}

describe('the seed', () => {
  it('has posts that share a timestamp, so ties are exercised', async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from
      (select created_at from posts group by created_at having count(*) > 1) tied`.execute(database.handle.db);
    expect(rows[0]?.n).toBeGreaterThan(3);
  });
});

describe('Query.posts', () => {
  // Tag 1 is the most used (generate-blog skews towards the first tags); author 1 has a handful.
  const filters: PostFilter[] = [{ label: 'all posts' }, { label: 'tag graphql', tag: 'graphql' }, { label: 'author 1', authorId: 1 }];
  const orders = [
    ['CREATED_AT', 'DESC'],
    ['CREATED_AT', 'ASC'],
    ['TITLE', 'ASC'],
    ['TITLE', 'DESC'],
  ] as const;

  for (const [field, direction] of orders) {
    for (const filter of filters) {
      it(`walks ${filter.label} by ${field} ${direction} forwards and backwards by 7 and 50`, async () => {
        const expected = await expectedPostIds(field, direction, filter);
        expect(expected.length).toBeGreaterThan(filter.label === 'all posts' ? 200 : 5);
        const variables = {
          orderBy: { field, direction },
          tag: filter.tag ?? null,
          authorId: filter.authorId === undefined ? null : toGlobalId('Author', filter.authorId),
        };
        for (const size of [7, 50]) {
          expectSameList(await walk(POSTS, variables, size, 'forwards', expected), expected);
          expectSameList(await walk(POSTS, variables, size, 'backwards', expected), expected);
        }
      });
    }
  }

  it('walks every post one at a time across tied timestamps (CREATED_AT DESC, the default)', async () => {
    const expected = await expectedPostIds('CREATED_AT', 'DESC', { label: 'all' });
    expectSameList(await walk(POSTS, {}, 1, 'forwards', expected), expected);
  });

  it('walks one author backwards one post at a time', async () => {
    const expected = await expectedPostIds('CREATED_AT', 'DESC', { label: 'author 2', authorId: 2 });
    expectSameList(await walk(POSTS, { authorId: toGlobalId('Author', 2) }, 1, 'backwards', expected), expected);
  });

  it('pages a filter that matches nothing: one empty page, no neighbours', async () => {
    const page = await fetchPage(POSTS, { first: 5, tag: 'no-such-tag' }, (data) => data.list);
    expect(page).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('pages between two cursors with after and before together', async () => {
    const expected = await expectedPostIds('CREATED_AT', 'DESC', { label: 'all' });
    const firstPage = await fetchPage(POSTS, { first: 10 }, (data) => data.list);
    const after = firstPage.edges[2]!.cursor;
    const before = firstPage.edges[8]!.cursor;
    const forwards = await fetchPage(POSTS, { first: 100, after, before }, (data) => data.list);
    expect(forwards.edges.map((e) => e.node.id)).toEqual(expected.slice(3, 8));
    const backwards = await fetchPage(POSTS, { last: 100, after, before }, (data) => data.list);
    expect(backwards.edges.map((e) => e.node.id)).toEqual(expected.slice(3, 8));
  });
});

describe('Query.authors and Query.tags', () => {
  for (const [field, column] of [
    ['NAME', 'author.name'],
    ['CREATED_AT', 'author.created_at'],
  ] as const) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`walks authors by ${field} ${direction} both ways`, async () => {
        const dir = sql.raw(direction);
        const { rows } = await sql<{ id: number }>`select author.id from authors author
          order by ${sql.ref(column)} ${dir}, author.id ${dir}`.execute(database.handle.db);
        const expected = rows.map((row) => toGlobalId('Author', row.id));
        for (const size of [1, 5]) {
          expectSameList(await walk(AUTHORS, { orderBy: { field, direction } }, size, 'forwards', expected), expected);
          expectSameList(await walk(AUTHORS, { orderBy: { field, direction } }, size, 'backwards', expected), expected);
        }
      });
    }
  }

  it('walks tags by name both ways', async () => {
    const { rows } = await sql<{ id: number }>`select id from tags order by name, id`.execute(database.handle.db);
    const expected = rows.map((row) => toGlobalId('Tag', row.id));
    for (const size of [1, 5]) {
      expectSameList(await walk(TAGS, {}, size, 'forwards', expected), expected);
      expectSameList(await walk(TAGS, {}, size, 'backwards', expected), expected);
    }
  });
});

describe('nested Author.posts and Tag.posts', () => {
  async function authorPostIds(authorId: number, column: string, direction: Direction): Promise<string[]> {
    const dir = sql.raw(direction);
    const { rows } = await sql<{ id: number }>`select id from posts where author_id = ${authorId}
      order by ${sql.ref(column)} ${dir}, id ${dir}`.execute(database.handle.db);
    return rows.map((row) => toGlobalId('Post', row.id));
  }

  async function tagPostIds(name: string, column: string, direction: Direction): Promise<string[]> {
    const dir = sql.raw(direction);
    const { rows } = await sql<{ id: number }>`select post.id from posts post
      join post_tags link on link.post_id = post.id join tags tag on tag.id = link.tag_id
      where tag.name = ${name} order by ${sql.ref(`post.${column}`)} ${dir}, post.id ${dir}`.execute(database.handle.db);
    return rows.map((row) => toGlobalId('Post', row.id));
  }

  async function authorIds(): Promise<{ busiest: number; empty: number; other: number }> {
    const { rows } = await sql<{ id: number; n: number }>`select a.id, count(p.id)::int as n from authors a
      left join posts p on p.author_id = a.id group by a.id order by n desc, a.id`.execute(database.handle.db);
    return { busiest: rows[0]!.id, other: rows[Math.floor(rows.length / 2)]!.id, empty: rows.at(-1)!.id };
  }

  it('walks the posts of several authors, including one without posts', async () => {
    const { busiest, other, empty } = await authorIds();
    expect(await authorPostIds(empty, 'created_at', 'DESC')).toEqual([]);
    for (const authorId of [busiest, other, empty]) {
      for (const [field, column, direction] of [
        ['CREATED_AT', 'created_at', 'DESC'],
        ['TITLE', 'title', 'ASC'],
      ] as const) {
        const expected = await authorPostIds(authorId, column, direction);
        const variables = { id: toGlobalId('Author', authorId), orderBy: { field, direction } };
        const pick = (data: any) => data.author.list;
        expectSameList(await walk(AUTHOR_POSTS, variables, 3, 'forwards', expected, pick), expected);
        expectSameList(await walk(AUTHOR_POSTS, variables, 3, 'backwards', expected, pick), expected);
      }
    }
  });

  it('walks the posts of a popular and a rare tag', async () => {
    for (const name of ['graphql', 'testing']) {
      for (const [field, column, direction] of [
        ['CREATED_AT', 'created_at', 'ASC'],
        ['TITLE', 'title', 'DESC'],
      ] as const) {
        const expected = await tagPostIds(name, column, direction);
        expect(expected.length).toBeGreaterThan(0);
        const variables = { name, orderBy: { field, direction } };
        const pick = (data: any) => data.tag.list;
        expectSameList(await walk(TAG_POSTS, variables, 7, 'forwards', expected, pick), expected);
        expectSameList(await walk(TAG_POSTS, variables, 7, 'backwards', expected, pick), expected);
      }
    }
  });

  it('gives every author of a list its own first and last page from one batched statement', async () => {
    for (const window of ['first: 4', 'last: 4'] as const) {
      const result = await server.execute(
        `{ authors(first: 100) { nodes { id posts(${window}) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage } } } } }`,
      );
      expect(result.errors).toBeUndefined();
      expect(result.trace.sql.statements.filter((s: any) => s.loader === 'postsByAuthorId')).toHaveLength(1);
      for (const author of result.data.authors.nodes) {
        const id = Number(Buffer.from(author.id, 'base64').toString().split(':')[1]);
        const expected = await authorPostIds(id, 'created_at', 'DESC');
        const posts = author.posts;
        expect(posts.totalCount).toBe(expected.length);
        const more = expected.length > 4;
        if (window === 'first: 4') {
          expect(posts.nodes.map((n: any) => n.id)).toEqual(expected.slice(0, 4));
          expect(posts.pageInfo).toEqual({ hasNextPage: more, hasPreviousPage: false });
        } else {
          expect(posts.nodes.map((n: any) => n.id)).toEqual(expected.slice(-4));
          expect(posts.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: more });
        }
      }
    }
  });

});
