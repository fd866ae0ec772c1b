import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigOverrides, type LogConfig, loadConfig } from '../../src/config.ts';
import { createServer, type InkqlServer } from '../../src/server.ts';
import { mergeOverrides } from '../support/config-overrides.ts';
import { jsonLogLines } from '../support/json-log-lines.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// The one line a request leaves in the log (JSON, as a log shipper reads it), from a real server.

let database: TestDatabase;
const started: InkqlServer[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(started.map((server) => server.close()));
  await database?.close();
});

/** A server whose logger writes JSON lines into `lines`. */
async function start(level: string, overrides: ConfigOverrides = {}) {
  const { lines, out } = jsonLogLines();
  const config = loadConfig({}, mergeOverrides({ http: { port: 0 }, log: { level: level as LogConfig['level'] }, database: { url: database.databaseUrl } }, overrides));
  const server = await createServer({ config, database: database.handle, logger: pino({ level }, out) });
  started.push(server);
  const url = await server.listen();
  const post = (body: object) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** The request lines, once the answer's onResponse hook has run. */
  const requestLines = async (count: number) => {
    await expect.poll(() => lines.filter((line) => 'status' in line).length).toBe(count);
    return lines.filter((line) => 'status' in line);
  };
  return { url, post, requestLines };
}

describe('the request log line', () => {
  it('says method, operation, status, duration, SQL count, cost and request id at info in development', async () => {
    const server = await start('info');
    const response = await server.post({ query: 'query FirstPosts { posts(first: 5) { nodes { title author { name } } } }' });
    expect(response.status).toBe(200);
    const [line] = await server.requestLines(1);
    expect(line).toMatchObject({
      level: 30,
      method: 'POST',
      path: '/graphql',
      operationName: 'FirstPosts',
      status: 200,
      sqlCount: 1,
      cost: expect.any(Number),
      reqId: expect.any(String),
      msg: expect.stringMatching(/^POST \/graphql FirstPosts 200 in [0-9.]+ ms \(1 SQL, cost [0-9]+\)$/),
    });
    expect(line!.cost).toBeGreaterThan(0);
    expect(line!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('gives each request its own id, and logs refusals and other routes too', async () => {
    const server = await start('info');
    await server.post({ query: '{ nope }' });
    await fetch(new URL('/healthz', server.url));
    const [refused, health] = await server.requestLines(2);
    expect(refused).toMatchObject({ status: 400, sqlCount: 0, cost: 0, path: '/graphql' });
    expect(refused!.operationName).toBeUndefined();
    expect(health).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
    expect(health!.sqlCount).toBeUndefined();
    expect(refused!.reqId).not.toBe(health!.reqId);
  });

  it('is at debug in production: absent at info, present at debug', async () => {
    const quiet = await start('info', { nodeEnv: 'production' });
    const loud = await start('debug', { nodeEnv: 'production' });
    await quiet.post({ query: '{ stats { postCount } }' });
    await loud.post({ query: 'query Stats { stats { postCount } }' });
    const [line] = await loud.requestLines(1);
    expect(line).toMatchObject({ level: 20, operationName: 'Stats', status: 200 });
    await quiet.requestLines(0);
  });
});
