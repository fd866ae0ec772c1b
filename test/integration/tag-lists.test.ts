import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGlobalId, toGlobalId } from '../../src/global-id.ts';
import { useAuthorServer } from '../support/author-server.ts';

// Each post's `tag_list` (what a page of posts reads its tags from) against post_tags, the truth:
// equal after every write inkql makes and after writes made by hand.

const fixture = useAuthorServer();
const db = () => fixture.database.handle.db;

const CREATE = `mutation ($input: CreatePostInput!) { createPost(input: $input) { post { id } } }`;
const UPDATE = `mutation ($input: UpdatePostInput!) { updatePost(input: $input) { post { id } } }`;
const PAGE = `query ($id: ID!) { author(id: $id) { posts(first: 100) { nodes { id tags { id name } } } } }`;

/** Every post whose list differs from its links (by name, as the list is kept). */
async function mismatches(): Promise<{ id: number }[]> {
  const { rows } = await sql<{ id: number }>`select post.id from posts post
    where post.tag_list::text is distinct from coalesce((
      select json_agg(json_build_object('id', tag.id, 'name', tag.name) order by tag.name)
      from post_tags link join tags tag on tag.id = link.tag_id where link.post_id = post.id), '[]')::text`.execute(db());
  return rows;
}

async function write(query: string, input: Record<string, unknown>) {
  const result = await fixture.server.execute(query, { input }, { headers: fixture.auth, trace: false });
  expect(result.errors).toBeUndefined();
  return result.data;
}

let postId: string;

beforeAll(async () => {
  const data = await write(CREATE, { title: 'Tag lists', body: 'words', tags: ['zeta-list', 'alpha-list'] });
  postId = data.createPost.post.id;
});

describe("a post's tag list", () => {
  it('matches its links in a seeded database', async () => {
    expect(await mismatches()).toEqual([]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from posts where tag_list::text <> '[]'`.execute(db());
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('follows createPost and updatePost, in name order, and pages read it', async () => {
    const { id } = parseGlobalId(postId, 'id', 'Post');
    const { rows } = await sql<{ tag_list: { name: string }[] }>`select tag_list from posts where id = ${id}`.execute(db());
    expect(rows[0]!.tag_list.map((tag) => tag.name)).toEqual(['alpha-list', 'zeta-list']);
    await write(UPDATE, { id: postId, tags: ['middle-list'] });
    expect(await mismatches()).toEqual([]);
    const page = await fixture.server.execute(PAGE, { id: toGlobalId('Author', 1) }, { trace: false });
    const post = page.data.author.posts.nodes.find((node: { id: string }) => node.id === postId);
    expect(post.tags.map((tag: { name: string }) => tag.name)).toEqual(['middle-list']);
  });

  it('follows links and tags changed by hand: moved, renamed, deleted', async () => {
    const { id } = parseGlobalId(postId, 'id', 'Post');
    const other = await sql<{ id: number }>`select id from posts where id <> ${id} order by id limit 1`.execute(db());
    const otherId = other.rows[0]!.id;
    await sql`update post_tags set post_id = ${otherId} where post_id = ${id}`.execute(db());
    expect(await mismatches()).toEqual([]);
    await sql`update tags set name = 'renamed-list' where name = 'middle-list'`.execute(db());
    expect(await mismatches()).toEqual([]);
    await sql`delete from post_tags where post_id = ${otherId}`.execute(db());
    expect(await mismatches()).toEqual([]);
  });
});
