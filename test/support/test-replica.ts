import pg from 'pg';
import { inject } from 'vitest';

/** TEST_REPLICA_URL (a streaming replica of the TEST_DATABASE_URL server), or undefined. */
export function testReplicaUrl(): string | undefined {
  const url = inject('replicaUrl');
  return url ? url : undefined;
}

/** Why replica tests skip: shown in the skipped test's name. */
export const NO_REPLICA = 'skipped: needs TEST_DATABASE_URL and TEST_REPLICA_URL (scripts/start-replica.sh)';

/** The replica's URL of one of the primary's databases (a test's own, replicated from its creation). */
export function replicaUrlOf(databaseUrl: string): string {
  const replica = new URL(testReplicaUrl()!);
  const url = new URL(databaseUrl);
  url.host = replica.host;
  return url.toString();
}

/** Waits until the replica has replayed the primary's WAL as of now (a database created just now, seeded rows). */
export async function waitForReplay(primaryUrl: string, timeoutMs = 60_000): Promise<void> {
  const primary = new pg.Client({ connectionString: primaryUrl });
  await primary.connect();
  try {
    const { rows } = await primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    const replica = new URL(testReplicaUrl()!);
    replica.pathname = '/postgres';
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const client = new pg.Client({ connectionString: replica.toString() });
      try {
        await client.connect();
        const { rows: done } = await client.query<{ ok: boolean }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [rows[0]!.lsn]);
        if (done[0]?.ok) return;
      } finally {
        await client.end().catch(() => {});
      }
      if (Date.now() > deadline) throw new Error(`the replica did not replay ${rows[0]!.lsn} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await primary.end();
  }
}
