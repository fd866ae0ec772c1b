import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ConfigOverrides, loadConfig } from '../../src/config.ts';
import { MAX_OPERATION_NAMES, OTHER_OPERATION } from '../../src/metrics/operation-labels.ts';
import { createServer, type InkqlServer } from '../../src/server.ts';
import { mergeOverrides } from '../support/config-overrides.ts';
import { jsonLogLines } from '../support/json-log-lines.ts';
import { parsePrometheusText, type Sample, samplesOf, valueOf } from '../support/prometheus-text.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';

// GET /metrics of a real server over real HTTP: the text format, the token, bounded labels, and
// the N+1 watch that runs on every request without a trace, metrics on or off.

const B_QUERY = /* GraphQL */ `query PostsWithRelations { posts(first: 20) { nodes { title author { name } tags { name } } } }`;
const DURATION = 'inkql_graphql_request_duration_seconds_count';

let database: TestDatabase;
const started: InkqlServer[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(started.map((server) => server.close()));
  await database?.close();
});

/** A server whose log lines (JSON) land in `lines`. */
async function start(overrides: ConfigOverrides = {}) {
  const { lines, out } = jsonLogLines();
  const config = loadConfig({}, mergeOverrides({ http: { port: 0 }, log: { level: 'warn' }, database: { url: database.databaseUrl }, metrics: { enabled: true } }, overrides));
  const server = await createServer({ config, database: database.handle, logger: pino({ level: 'warn' }, out) });
  started.push(server);
  const url = await server.listen();
  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const scrape = (headers: Record<string, string> = {}) => fetch(new URL('/metrics', url), { headers });
  /** The samples once `ready` holds of them: a request is counted when its answer has been sent, a moment after the client has it. */
  const samplesWhen = async (ready: (samples: Sample[]) => boolean) => {
    let samples: Sample[] = [];
    await expect.poll(async () => ready((samples = parsePrometheusText(await (await scrape()).text())))).toBe(true);
    return samples;
  };
  return { url, lines, post, scrape, samplesWhen };
}

describe('GET /metrics', () => {
  it('counts requests by operation name, type and outcome in Prometheus text format', async () => {
    const server = await start();
    for (let i = 0; i < 2; i++) expect((await server.post('query FirstPosts { posts(first: 3) { nodes { title } } }')).status).toBe(200);
    expect((await server.post('{ nope }')).status).toBe(400);
    expect((await server.post('query Broken { node(id: "not-an-id") { id } }')).status).toBe(200);

    const response = await server.scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = await server.samplesWhen((s) => samplesOf(s, DURATION).reduce((sum, x) => sum + x.value, 0) === 4);
    expect(valueOf(samples, DURATION, { operation_name: 'FirstPosts', operation_type: 'query', outcome: 'ok' })).toBe(2);
    expect(valueOf(samples, DURATION, { operation_name: '(anonymous)', operation_type: 'unknown', outcome: 'refused' })).toBe(1);
    expect(valueOf(samples, DURATION, { operation_name: 'Broken', operation_type: 'query', outcome: 'error' })).toBe(1);
    // Statements per request: one each for the two pages, none for the others.
    expect(valueOf(samples, 'inkql_graphql_request_sql_statements_count')).toBe(4);
    expect(valueOf(samples, 'inkql_graphql_request_sql_statements_sum')).toBe(2);
    // Process metrics, read at scrape time: event loop lag and utilization, heap, CPU.
    expect(valueOf(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    const utilization = valueOf(samples, 'nodejs_eventloop_utilization_ratio');
    expect(utilization).toBeGreaterThan(0);
    expect(utilization).toBeLessThanOrEqual(1);
  });

  it('leaves out the per-collection GC histogram, whose observer costs every garbage collection a callback', async () => {
    const server = await start();
    expect(await (await server.scrape()).text()).not.toContain('nodejs_gc_duration_seconds');
  });

  it('shows the pool as the database has it', async () => {
    const server = await start();
    const samples = parsePrometheusText(await (await server.scrape()).text());
    if (inject('database') === 'postgres') {
      expect(valueOf(samples, 'inkql_db_pool_max')).toBe(10);
      expect(samplesOf(samples, 'inkql_db_pool_in_use')).toHaveLength(1);
      expect(samplesOf(samples, 'inkql_db_pool_waiting')).toHaveLength(1);
    } else {
      // PGlite is one connection, with no pool to ask what is in use.
      expect(valueOf(samples, 'inkql_db_pool_max')).toBe(1);
      expect(samplesOf(samples, 'inkql_db_pool_in_use')).toHaveLength(0);
    }
  });

  it('counts cache hits and misses by family', async () => {
    const server = await start();
    await server.post('{ stats { postCount } }');
    await server.post('{ stats { postCount } }');
    const samples = await server.samplesWhen((s) => valueOf(s, 'inkql_cache_hits_total', { family: 'stats' }) === 1);
    expect(valueOf(samples, 'inkql_cache_misses_total', { family: 'stats' })).toBe(1);
  });

  it('counts the requests a client budget throttles', async () => {
    // 50 points pay for one page of 20 posts with their authors (42), not two.
    const server = await start({ budgets: { size: 50, restoreRate: 1 } });
    const query = '{ posts(first: 20) { nodes { title author { name } } } }';
    expect((await server.post(query)).status).toBe(200);
    expect((await server.post(query)).status).toBe(429);
    const samples = await server.samplesWhen((s) => valueOf(s, 'inkql_budget_throttles_total') === 1);
    expect(valueOf(samples, DURATION, { outcome: 'refused', operation_name: '(anonymous)', operation_type: 'query' })).toBe(1);
  });

  it('gives at most a fixed number of operation names a series of their own; the rest share one', async () => {
    const server = await start();
    const names = Array.from({ length: MAX_OPERATION_NAMES + 5 }, (_, i) => `Random${i}x${Math.random().toString(36).slice(2)}`);
    for (const name of names) expect((await server.post(`query ${name} { __typename }`)).status).toBe(200);
    const samples = await server.samplesWhen((s) => valueOf(s, DURATION, { operation_name: OTHER_OPERATION }) === 5);
    const series = new Set(samplesOf(samples, DURATION).map((s) => s.labels.operation_name));
    expect(series.size).toBe(MAX_OPERATION_NAMES + 1);
  });

  it('answers 401 in the GraphQL error shape without the configured token', async () => {
    const server = await start({ metrics: { token: 'scrape-secret' } });
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic scrape-secret' }];
    for (const headers of attempts) {
      const refused = await server.scrape(headers);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await refused.json();
      expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const allowed = await server.scrape({ authorization: 'Bearer scrape-secret' });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('inkql_graphql_request_duration_seconds');
  });

  it('is not served with INKQL_METRICS=off', async () => {
    const server = await start({ metrics: { enabled: false } });
    expect((await server.scrape()).status).toBe(404);
  });
});

describe('the N+1 watch', () => {
  it('counts and logs the fields that repeat a statement per row when batching is off', async () => {
    // Without SQL comments too: the watch needs each statement's field whatever else asks for it.
    const server = await start({ database: { batching: false }, trace: { sqlComments: false } });
    for (let i = 0; i < 2; i++) expect((await server.post(B_QUERY)).status).toBe(200);
    const samples = await server.samplesWhen((s) => valueOf(s, 'inkql_n_plus_one_total', { field: 'Post.tags' }) === 2);
    expect(valueOf(samples, 'inkql_n_plus_one_total', { field: 'Post.author' })).toBe(2);
    // One line per field, not one per request.
    const warnings = server.lines.filter((line) => line.msg?.startsWith('N+1 on '));
    expect(warnings.map((line) => line.field).sort()).toEqual(['Post.author', 'Post.tags']);
    expect(warnings[0]).toMatchObject({ level: 40, count: 20, operationName: 'PostsWithRelations' });
    expect(warnings[0]!.msg).toMatch(/^N\+1 on Post\.(author|tags): one request ran the same statement 20 times$/);
  });

  it('logs the fields that repeat a statement per row with metrics off too', async () => {
    const server = await start({ metrics: { enabled: false }, database: { batching: false }, trace: { sqlComments: false } });
    expect((await server.post(B_QUERY)).status).toBe(200);
    // The watch runs once the answer is sent, a moment after the client has it.
    const warnings = () => server.lines.filter((line) => line.msg?.startsWith('N+1 on '));
    await expect.poll(() => warnings().length).toBe(2);
    expect(warnings().map((line) => line.field).sort()).toEqual(['Post.author', 'Post.tags']);
    expect(warnings()[0]).toMatchObject({ level: 40, count: 20, operationName: 'PostsWithRelations' });
  });

  it('finds nothing in the same query with batching on', async () => {
    const server = await start({ database: { batching: true } });
    for (let i = 0; i < 2; i++) expect((await server.post(B_QUERY)).status).toBe(200);
    const samples = await server.samplesWhen((s) => valueOf(s, DURATION, { operation_name: 'PostsWithRelations' }) === 2);
    expect(samplesOf(samples, 'inkql_n_plus_one_total')).toEqual([]);
    expect(server.lines.filter((line) => line.msg?.startsWith('N+1 on '))).toEqual([]);
  });
});
