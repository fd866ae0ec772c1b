import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { PG_TYPES } from '../../src/db/parse-timestamptz.ts';

// The pool reads timestamptz with its own fast parser (src/db/parse-timestamptz.ts): the text
// Postgres really sends, in several session time zones, must give the instants Postgres means.
const onPostgres = inject('database') === 'postgres';

describe.skipIf(!onPostgres)('timestamptz from real Postgres', () => {
  it('parses to the same instant as the epoch Postgres computes, whatever the session time zone', async () => {
    const client = new pg.Client({ connectionString: inject('databaseUrl'), types: PG_TYPES });
    await client.connect();
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham']) {
        await client.query(`set time zone '${zone}'`);
        const { rows } = await client.query<{ at: Date; ms: string }>(
          `select at, (extract(epoch from at) * 1000)::bigint::text as ms
             from (values ('2024-03-09 14:05:07.123456+00'::timestamptz), ('2000-02-29 00:00:00+00'),
                          ('1999-12-31 23:59:59.999+00'), (now()::timestamptz(3))) v(at)`,
        );
        for (const row of rows) {
          expect(row.at, zone).toBeInstanceOf(Date);
          expect(row.at.getTime(), zone).toBe(Number(row.ms));
        }
      }
    } finally {
      await client.end();
    }
  });
});
