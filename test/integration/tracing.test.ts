import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createServer, type InkqlServer } from '../../src/server.ts';
import { NO_TRACING } from '../../src/trace/tracing.ts';
import { createTestDatabase, startTestServer, toResult, type TestDatabase, type TestServer } from '../support/index.ts';

// The hooks that watch requests are chosen once, when the server is built: the normal server
// shows a development request its trace and Server-Timing; a server built with NO_TRACING (what
// bench/trace-overhead.ts measures against) answers the same data with neither.

const QUERY = `{ posts(first: 3) { nodes { title author { name } } } }`;

let database: TestDatabase;
let traced: TestServer;
let bare: InkqlServer;
let bareUrl: string;
beforeAll(async () => {
  database = await createTestDatabase();
  traced = await startTestServer(database);
  const config = loadConfig({}, { http: { port: 0 }, log: { level: 'silent' }, database: { url: database.databaseUrl } });
  bare = await createServer({ config, database: database.handle, logger: pino({ level: 'silent' }), tracing: NO_TRACING });
  bareUrl = await bare.listen();
});
afterAll(async () => {
  await traced?.close();
  await bare?.close();
  await database?.close();
});

async function post(url: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-inkql-trace': '1' },
    body: JSON.stringify({ query: QUERY }),
  });
  return toResult(response);
}

describe('tracing chosen when the server is built', () => {
  it('shows the trace and Server-Timing on the normal server', async () => {
    const result = await post(traced.url);
    expect(result.errors).toBeUndefined();
    expect(result.trace.sql.count).toBe(1);
    expect(result.headers.get('server-timing')).toMatch(/^sql;dur=[\d.]+;desc="1 queries"/);
  });

  it('answers the same data with no trace and no Server-Timing without tracing hooks', async () => {
    const [watched, unwatched] = await Promise.all([post(traced.url), post(bareUrl)]);
    expect(unwatched.errors).toBeUndefined();
    expect(unwatched.data).toEqual(watched.data);
    expect(unwatched.trace).toBeUndefined();
    expect(unwatched.headers.get('server-timing')).toBeNull();
  });
});
