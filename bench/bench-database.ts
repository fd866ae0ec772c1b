import { sql } from 'kysely';
import pg from 'pg';
import { issueApiToken } from '../src/auth/api-token.ts';
import { createDatabase } from '../src/db/create-database.ts';
import { migrateToLatest } from '../src/db/migrate-to-latest.ts';
import { countPostsInDatabase, seedDatabase } from '../src/db/seed-database.ts';
import { encodeCursor } from '../src/pagination/cursor.ts';
import type { Scale } from './scales.ts';

export const DEFAULT_BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/inkql_bench';
/** Seeding 1M posts runs statements (analyze) far longer than a request may. */
const SEED_STATEMENT_TIMEOUT_MS = 600_000;

/** One database per scale (inkql_bench_10k ...), so a run never reseeds a size it already has. */
export function databaseUrlFor(baseUrl: string, scale: Scale): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/^\//, '') || 'inkql_bench'}_${scale.name}`;
  return url.toString();
}

async function createIfMissing(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

export interface PreparedDatabase {
  readonly url: string;
  readonly posts: number;
  readonly seededNow: boolean;
  readonly postgresVersion: string;
  /** Cursor after the first `pages * pageSize` posts of the default ordering (scenario E). */
  readonly cursorAfterPages: (pages: number, pageSize: number) => Promise<string | null>;
  /** An API token of an author, for writes (scenario F). */
  readonly issueToken: (authorId: number) => Promise<string>;
  /** How many posts there are, of everyone or of one author: the truth a cached count must match. */
  readonly countPosts: (authorId?: number) => Promise<number>;
  /** Titles of the newest posts in the default order (CREATED_AT DESC, id DESC): the truth A's page must match. */
  readonly newestPostTitles: (count: number) => Promise<string[]>;
  /** Removes the posts a run wrote (by their title), back to the seeded size, and every API token (only runs issue them here). */
  readonly removeWrites: (title: string) => Promise<number>;
  close(): Promise<void>;
}

/** Creates, migrates and seeds the scale's database when it is missing or holds another size. */
export async function prepareDatabase(baseUrl: string, scale: Scale, log: (line: string) => void): Promise<PreparedDatabase> {
  const url = databaseUrlFor(baseUrl, scale);
  await createIfMissing(url);
  const database = await createDatabase({ url, dataDir: '', poolSize: 2, statementTimeoutMs: SEED_STATEMENT_TIMEOUT_MS });
  await migrateToLatest(database.db);
  const existing = await countPostsInDatabase(database.db);
  let seededNow = false;
  if (existing !== scale.size.posts) {
    // Only this bench's own database is ever reset (its name ends in the scale).
    log(`seeding ${scale.name}: ${scale.size.posts} posts, ${scale.size.authors} authors, ${scale.size.tags} tags (had ${existing} posts)`);
    const started = performance.now();
    await seedDatabase(database.db, scale.size, { reset: existing > 0 });
    log(`seeded ${scale.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    seededNow = true;
  }
  // Every run starts without dead rows: a migration that rewrote rows or the writes an earlier run
  // removed would otherwise slow whichever server ran first, on a server whose autovacuum may be off.
  if (!seededNow) await sql`vacuum analyze`.execute(database.db);
  const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(database.db);
  return {
    url,
    posts: scale.size.posts,
    seededNow,
    postgresVersion: rows[0]?.v ?? 'unknown',
    cursorAfterPages: async (pages, pageSize) => {
      // Built from the database, in the format of src/pagination/cursor.ts (ordering CREATED_AT DESC).
      const { rows: [row] } = await sql<{ id: number; created_at: Date }>`select id, created_at from posts
        order by created_at desc, id desc offset ${pages * pageSize - 1} limit 1`.execute(database.db);
      return row ? encodeCursor('CREATED_AT', row.created_at.toISOString(), row.id) : null;
    },
    issueToken: (authorId) => issueApiToken(database.db, authorId),
    countPosts: async (authorId) => {
      let query = database.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n'));
      if (authorId !== undefined) query = query.where('author_id', '=', authorId);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },
    newestPostTitles: async (count) => {
      const rows = await database.db.selectFrom('posts').select('title').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(count).execute();
      return rows.map((row) => row.title);
    },
    removeWrites: async (title) => {
      await database.db.deleteFrom('api_tokens').execute();
      const { numDeletedRows } = await database.db.deleteFrom('posts').where('title', '=', title).executeTakeFirst();
      return Number(numDeletedRows);
    },
    close: () => database.close(),
  };
}
