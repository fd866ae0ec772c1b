import { sql } from 'kysely';
import { describe, expect, inject, it } from 'vitest';
import { retryTransaction } from '../../src/db/retry-transaction.ts';
import { InkqlError } from '../../src/errors.ts';
import { useAuthorServer } from '../support/author-server.ts';

// Concurrent writers of the same new tags, and what a transaction that keeps conflicting gives
// the client.

const CREATE = `mutation ($input: CreatePostInput!) { createPost(input: $input) { post { id tags { name } } } }`;
const WRITERS = 6;
const ROUNDS = 80;
const TAGS = 10;

const fixture = useAuthorServer();

/** The same names in a different order for each writer (half of them reversed): the orders that used to deadlock. */
function reordered(names: readonly string[], writer: number): string[] {
  const rotated = names.map((_, i) => names[(i + writer) % names.length]!);
  return writer % 2 === 0 ? rotated : rotated.reverse();
}

describe.runIf(inject('database') === 'postgres')('concurrent createPost with the same new tags (real Postgres only: PGlite is one connection, so its transactions never interleave)', () => {
  it('never fails: every writer creates its post with all the tags, each tag once', async () => {
    const failures: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const names = Array.from({ length: TAGS }, (_, i) => `race-${round}-${i}`);
      const results = await Promise.all(
        Array.from({ length: WRITERS }, (_, writer) =>
          fixture.server.execute(CREATE, { input: { title: `Race ${round}.${writer}`, body: 'Same tags, other order.', tags: reordered(names, writer) } }, { headers: fixture.auth, trace: false }),
        ),
      );
      for (const result of results) {
        if (result.errors) failures.push(result.errors);
        else expect(result.data.createPost.post.tags.map((tag: any) => tag.name).sort()).toEqual([...names].sort());
      }
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from tags where name like ${`race-${round}-%`}`.execute(fixture.database.handle.db);
      expect(rows[0]!.n).toBe(names.length);
    }
    expect(failures, `${failures.length} of ${ROUNDS * WRITERS} writes failed`).toEqual([]);
  });
});

describe('retryTransaction', () => {
  /** A real serialization failure raised by the database itself. */
  const raise = (sqlstate: string) => sql`do $$ begin raise exception 'conflict for the test' using errcode = '${sql.raw(sqlstate)}'; end $$`;

  it('retries a serialization failure once and returns the second attempt', async () => {
    let attempts = 0;
    const result = await retryTransaction(fixture.database.handle.db, async (trx) => {
      attempts++;
      await sql`insert into tags (name) values (${`retried-${attempts}`})`.execute(trx);
      if (attempts === 1) await raise('40001').execute(trx);
      return attempts;
    });
    expect(result).toBe(2);
    // The failed attempt rolled back: only the second one's row exists.
    const names = await fixture.database.handle.db.selectFrom('tags').select('name').where('name', 'like', 'retried-%').execute();
    expect(names.map((row) => row.name)).toEqual(['retried-2']);
  });

  it('gives TRANSACTION_CONFLICT, retryable, when the retry deadlocks too', async () => {
    let attempts = 0;
    const failing = retryTransaction(fixture.database.handle.db, async (trx) => {
      attempts++;
      await raise('40P01').execute(trx);
    });
    await expect(failing).rejects.toBeInstanceOf(InkqlError);
    await expect(failing).rejects.toMatchObject({ extensions: { code: 'TRANSACTION_CONFLICT', retryable: true } });
    expect(attempts).toBe(2);
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    const failing = retryTransaction(fixture.database.handle.db, async (trx) => {
      attempts++;
      await raise('23505').execute(trx);
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
  });
});
