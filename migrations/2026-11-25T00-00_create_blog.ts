import { type Kysely, sql } from 'kysely';

// Frozen in time: Kysely<any>, never the app's Database type.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('authors')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bio', 'text')
    // Millisecond precision: a cursor carries the timestamp through a JS Date, which has no microseconds.
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('posts')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('authors.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('word_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('tags')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable('post_tags')
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('post_tags_pkey', ['post_id', 'tag_id'])
    .execute();

  // One index per keyset ordering, (sort key, id) so that ties on the sort key stay ordered.
  await sql`create index posts_created_at_id on posts (created_at desc, id desc)`.execute(db);
  await sql`create index posts_title_id on posts (title, id)`.execute(db);
  await sql`create index posts_author_created_at_id on posts (author_id, created_at desc, id desc)`.execute(db);
  await sql`create index post_tags_tag_post on post_tags (tag_id, post_id)`.execute(db);
  await sql`create index authors_name_id on authors (name, id)`.execute(db);
  await sql`create index authors_created_at_id on authors (created_at, id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('post_tags').execute();
  await db.schema.dropTable('tags').execute();
  await db.schema.dropTable('posts').execute();
  await db.schema.dropTable('authors').execute();
}
