import { describe, expect, it } from 'vitest';
import { parseGlobalId, toGlobalId } from '../../src/global-id.ts';
import { MAX_BODY_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH } from '../../src/resolvers/post-input.ts';
import { snapshotDatabase } from '../support/db-snapshot.ts';
import { useAuthorServer } from '../support/author-server.ts';

const POST_FIELDS = 'id title body wordCount author { id } tags { name } createdAt updatedAt';
const CREATE = `mutation ($input: CreatePostInput!) { createPost(input: $input) { clientMutationId post { ${POST_FIELDS} } } }`;
const UPDATE = `mutation ($input: UpdatePostInput!) { updatePost(input: $input) { clientMutationId post { ${POST_FIELDS} } } }`;
const DELETE = `mutation ($id: ID!) { deletePost(id: $id, clientMutationId: "d1") { deletedId clientMutationId } }`;

const fixture = useAuthorServer();

const db = () => fixture.database.handle.db;

async function createPost(input: Record<string, unknown>) {
  const result = await fixture.server.execute(CREATE, { input }, { headers: fixture.auth });
  expect(result.errors).toBeUndefined();
  return result.data.createPost.post;
}

async function tagNamesOf(postId: number): Promise<string[]> {
  const rows = await db()
    .selectFrom('post_tags')
    .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select('tags.name')
    .where('post_tags.post_id', '=', postId)
    .orderBy('tags.name')
    .execute();
  return rows.map((row) => row.name);
}

describe('createPost', () => {
  it('creates the post in the viewer\'s name, with its word count and tags', async () => {
    const result = await fixture.server.execute(
      CREATE,
      { input: { title: 'Hello writes', body: 'one two  three\nfour', tags: ['graphql', 'brand-new-tag'], clientMutationId: 'c1' } },
      { headers: fixture.auth },
    );
    expect(result.errors).toBeUndefined();
    const { post, clientMutationId } = result.data.createPost;
    expect(clientMutationId).toBe('c1');
    expect(post).toMatchObject({ title: 'Hello writes', body: 'one two  three\nfour', wordCount: 4, author: { id: toGlobalId('Author', 1) } });
    expect(post.tags.map((t: any) => t.name)).toEqual(['brand-new-tag', 'graphql']);
    const row = await db().selectFrom('posts').selectAll().where('id', '=', parseGlobalId(post.id, 'id').id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ author_id: 1, title: 'Hello writes', word_count: 4 });
    expect(await tagNamesOf(row.id)).toEqual(['brand-new-tag', 'graphql']);
  });

  it('reuses an existing tag instead of creating a second one', async () => {
    const before = await db().selectFrom('tags').select('id').where('name', '=', 'graphql').execute();
    await createPost({ title: 'Again', body: 'text', tags: ['graphql', 'graphql'] });
    const after = await db().selectFrom('tags').select('id').where('name', '=', 'graphql').execute();
    expect(after).toEqual(before);
    expect(after).toHaveLength(1);
  });

  it('accepts the limits themselves', async () => {
    const tags = Array.from({ length: MAX_TAGS }, (_, i) => `limit-${i}`);
    const post = await createPost({ title: 't'.repeat(MAX_TITLE_LENGTH), body: 'b'.repeat(MAX_BODY_LENGTH), tags: [...tags, 'x'.repeat(40)].slice(1) });
    expect(post.title).toHaveLength(MAX_TITLE_LENGTH);
    expect(post.tags).toHaveLength(MAX_TAGS);
  });

  const badInputs: [string, Record<string, unknown>, string][] = [
    ['an empty title', { title: '' }, 'input.title'],
    ['a blank title', { title: '   ' }, 'input.title'],
    ['a title of 201 characters', { title: 't'.repeat(MAX_TITLE_LENGTH + 1) }, 'input.title'],
    ['an empty body', { body: '' }, 'input.body'],
    ['a body of 100,001 characters', { body: 'b'.repeat(MAX_BODY_LENGTH + 1) }, 'input.body'],
    ['11 tags', { tags: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`) }, 'input.tags'],
    ['an upper-case tag', { tags: ['ok', 'GraphQL'] }, 'input.tags'],
    ['a tag with a space', { tags: ['two words'] }, 'input.tags'],
    ['a tag of 41 characters', { tags: ['x'.repeat(41)] }, 'input.tags'],
    ['an empty tag', { tags: [''] }, 'input.tags'],
    ['null tags', { tags: null }, 'input.tags'],
  ];

  it.each(badInputs)('rejects %s as BAD_USER_INPUT and writes nothing', async (_name, change, field) => {
    const before = await snapshotDatabase(db());
    const input = { title: 'Fine title', body: 'Fine body', tags: ['fresh-tag-never-created'], ...change };
    const result = await fixture.server.execute(CREATE, { input }, { headers: fixture.auth });
    // The payload is nullable: the failed mutation is null, not the whole response.
    expect(result.data).toEqual({ createPost: null });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: field });
    expect(result.errors?.[0]?.message).toContain(field);
    expect(await snapshotDatabase(db())).toEqual(before);
  });
});

describe('updatePost', () => {
  it('changes only the fields given and moves updatedAt', async () => {
    const created = await createPost({ title: 'Before', body: 'a b c', tags: ['testing'] });
    const result = await fixture.server.execute(UPDATE, { input: { id: created.id, title: 'After', clientMutationId: 'u1' } }, { headers: fixture.auth });
    expect(result.errors).toBeUndefined();
    const { post, clientMutationId } = result.data.updatePost;
    expect(clientMutationId).toBe('u1');
    expect(post).toMatchObject({ id: created.id, title: 'After', body: 'a b c', wordCount: 3, tags: [{ name: 'testing' }], createdAt: created.createdAt });
    expect(Date.parse(post.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
  });

  it('recounts words when the body changes and replaces the whole tag list', async () => {
    const created = await createPost({ title: 'T', body: 'a b', tags: ['testing', 'redis'] });
    const result = await fixture.server.execute(UPDATE, { input: { id: created.id, body: 'one two three four five', tags: ['redis', 'new-on-update'] } }, { headers: fixture.auth });
    expect(result.errors).toBeUndefined();
    expect(result.data.updatePost.post).toMatchObject({ wordCount: 5, tags: [{ name: 'new-on-update' }, { name: 'redis' }] });
    expect(await tagNamesOf(parseGlobalId(created.id, 'id').id)).toEqual(['new-on-update', 'redis']);
  });

  it('clears the tags with an empty list', async () => {
    const created = await createPost({ title: 'T', body: 'b', tags: ['testing'] });
    const result = await fixture.server.execute(UPDATE, { input: { id: created.id, tags: [] } }, { headers: fixture.auth });
    expect(result.data.updatePost.post.tags).toEqual([]);
  });

  const badUpdates: [string, Record<string, unknown>, string][] = [
    ['no field to change', {}, 'input'],
    ['a null title', { title: null }, 'input.title'],
    ['a null body', { body: null }, 'input.body'],
    ['null tags', { tags: null }, 'input.tags'],
    ['an empty title', { title: '' }, 'input.title'],
    ['a body of 100,001 characters', { body: 'b'.repeat(MAX_BODY_LENGTH + 1) }, 'input.body'],
    ['11 tags', { tags: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`) }, 'input.tags'],
    ['an invalid tag', { tags: ['ok', 'not_ok'] }, 'input.tags'],
    ['a malformed id', { id: 'nope', title: 'x' }, 'input.id'],
    ["an author's id", { id: toGlobalId('Author', 1), title: 'x' }, 'input.id'],
  ];

  it.each(badUpdates)('rejects %s as BAD_USER_INPUT and writes nothing', async (_name, change, field) => {
    const postId = 1; // whoever wrote it: input is validated before ownership is checked
    const before = await snapshotDatabase(db());
    const input = { id: toGlobalId('Post', postId), ...change };
    const result = await fixture.server.execute(UPDATE, { input }, { headers: fixture.auth });
    expect(result.data).toEqual({ updatePost: null });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: field });
    expect(await snapshotDatabase(db())).toEqual(before);
  });
});

describe('deletePost', () => {
  it('deletes the post and its tag links', async () => {
    const created = await createPost({ title: 'Doomed', body: 'b', tags: ['testing'] });
    const id = parseGlobalId(created.id, 'id').id;
    const result = await fixture.server.execute(DELETE, { id: created.id }, { headers: fixture.auth });
    expect(result.errors).toBeUndefined();
    expect(result.data.deletePost).toEqual({ deletedId: created.id, clientMutationId: 'd1' });
    expect(await db().selectFrom('posts').select('id').where('id', '=', id).execute()).toEqual([]);
    expect(await db().selectFrom('post_tags').select('tag_id').where('post_id', '=', id).execute()).toEqual([]);
    const again = await fixture.server.execute(`{ post(id: "${created.id}") { id } }`);
    expect(again.data.post).toBeNull();
  });

  it('rejects a malformed id as BAD_USER_INPUT and writes nothing', async () => {
    const before = await snapshotDatabase(db());
    const result = await fixture.server.execute(DELETE, { id: toGlobalId('Tag', 1) }, { headers: fixture.auth });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'id' });
    expect(await snapshotDatabase(db())).toEqual(before);
  });
});
