import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// What a database outage writes to the log of the real server process: each kind of fault once
// in full, then one counted line per interval, however many requests fail. The server reaches the
// shared Postgres through a TCP proxy of the test's own, which the test cuts for 10 s under load.

const POSTS = `{ posts(first: 3) { nodes { title } } }`;
const OUTAGE_MS = 10_000;
const INTERVAL_MS = 3_000;
const CLIENTS = 6;

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly count?: number;
}

describe.runIf(inject('database') === 'postgres')('logging a database outage', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: ServerProcess & { url: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    const upstream = new URL(database.databaseUrl!);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    server = await startServerProcess({
      DATABASE_URL: proxy.via(database.databaseUrl!),
      NODE_ENV: 'production',
      INKQL_POOL_SIZE: '4',
      INKQL_FAULT_LOG_INTERVAL_MS: String(INTERVAL_MS),
    });
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await proxy?.close();
    await database?.close();
  });

  const query = async () => {
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: POSTS }) });
    return (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
  };

  it('logs each kind of fault once, then one counted line per interval, and counts every failure', async () => {
    // Fill the pool, so the cut also breaks idle connections.
    await Promise.all(Array.from({ length: 4 }, query));
    const logStart = server.stdout().length;
    await proxy.cut();
    let failures = 0;
    let probes = 0;
    const until = Date.now() + OUTAGE_MS;
    await Promise.all([
      ...Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < until) {
          const body = await query();
          expect(body.errors?.map((error) => error.extensions?.code)).toEqual(['DATABASE_UNAVAILABLE']);
          failures++;
        }
      }),
      (async () => {
        while (Date.now() < until) {
          expect((await fetch(new URL('/readyz', server.url))).status).toBe(503);
          probes++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })(),
    ]);
    await proxy.restore();
    expect((await query()).errors).toBeUndefined();
    // The last interval's summary comes at most one interval after the last failure.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS + 1500));

    const lines: LogLine[] = server
      .stdout()
      .slice(logStart)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .filter((line: LogLine) => line.level >= 40);
    const kinds = new Map<string, LogLine[]>();
    for (const line of lines) {
      const kind = line.msg.replace(/: \d+ more in the last .*$/, '');
      kinds.set(kind, [...(kinds.get(kind) ?? []), line]);
    }
    const counted = (kind: string) => (kinds.get(kind) ?? []).reduce((sum, line) => sum + (line.count ?? 1), 0);
    expect(failures).toBeGreaterThan(100);
    expect(counted('database fault in GraphQL requests (DATABASE_UNAVAILABLE)')).toBe(failures);
    expect(counted('readiness check failed')).toBe(probes);
    // Per kind: the first line, then a summary for each interval the outage spans, with an
    // interval's slack for failures that end late on a busy machine.
    const bound = 1 + Math.ceil((OUTAGE_MS + 2 * INTERVAL_MS) / INTERVAL_MS);
    for (const [kind, kindLines] of kinds) expect(kindLines.length, kind).toBeLessThanOrEqual(bound);
    expect([...kinds.keys()].sort(), JSON.stringify(lines.slice(0, 5))).toEqual(
      expect.arrayContaining(['database fault in GraphQL requests (DATABASE_UNAVAILABLE)', 'readiness check failed']),
    );
    expect(lines.length).toBeLessThanOrEqual(3 * bound);
  }, 60_000);
});
