import { randomBytes } from 'node:crypto';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Every request is priced before it runs; budgets, structural limits, posture.

const PAGE = `query ($n: Int) { posts(first: $n) { nodes { title author { name } } } }`;
const RATE_LIMIT = `{ rateLimit { limit cost remaining resetAt } }`;

let database: TestDatabase;
let server: TestServer;
const servers: TestServer[] = [];

async function start(overrides: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
  const started = await startTestServer(database, overrides);
  servers.push(started);
  return started;
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await start();
});

afterAll(async () => {
  for (const started of servers) await started.close();
  await database?.close();
});

describe('cost', () => {
  it('reports the requested and the actual cost of every response', async () => {
    const result = await server.execute(PAGE, { n: 10 });
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.cost).toEqual({ requestedQueryCost: 2 + 10 * 2, actualQueryCost: 2 + 10 * 2 });
    expect(result.trace.cost).toEqual({ requested: 22, actual: 22, maximum: 1000 });
  });

  it('charges a connection for the rows it returned, not the rows it asked for', async () => {
    // 12 authors exist; 100 were asked for.
    const result = await server.execute(`{ authors(first: 100) { nodes { name } } }`);
    expect(result.data.authors.nodes).toHaveLength(12);
    expect(result.extensions?.cost).toEqual({ requestedQueryCost: 102, actualQueryCost: 14 });
  });

  it('refuses a query over the maximum with 400 QUERY_TOO_COMPLEX before any SQL', async () => {
    const query = `query AuthorsWithPosts($n: Int) { authors(first: $n) { nodes { posts(first: $n) { nodes { title } } } } }`;
    const result = await server.execute(query, { n: 50 });
    expect(result.status).toBe(400);
    expect(result.errors?.map((e) => e.extensions)).toEqual([{ code: 'QUERY_TOO_COMPLEX', cost: 2 + 50 * (1 + 2 + 50), maximum: 1000 }]);
    expect(result.data).toBeUndefined();
    expect(result.trace.sql.count).toBe(0);
    // Refused before execution, the trace still names the operation it refused.
    expect(result.trace.operationName).toBe('AuthorsWithPosts');
    expect(result.headers.get('server-timing')).toMatch(/desc="0 queries"/);
  });

  it('follows INKQL_MAX_COST', async () => {
    const strict = await start({ limits: { maxCost: 20 } });
    expect((await strict.execute(PAGE, { n: 9 })).status).toBe(200);
    const refused = await strict.execute(PAGE, { n: 10 });
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 22, maximum: 20 });
  });

  it('lets GraphiQL introspect for free', async () => {
    const result = await server.execute(`{ __schema { types { name fields { name type { name ofType { name ofType { name } } } } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.extensions?.cost).toEqual({ requestedQueryCost: 0, actualQueryCost: 0 });
  });
});

describe('structural limits', () => {
  it('follows the depth, alias and directive overrides', async () => {
    const tight = await start({ limits: { maxDepth: 3, maxAliases: 1, maxDirectives: 1 } });
    const deep = await tight.execute(`{ authors { nodes { posts { totalCount } } } }`);
    expect(deep.status).toBe(400);
    expect(deep.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth', maximum: 3, actual: 4 });
    const aliased = await tight.execute(`{ a: __typename b: __typename }`);
    expect(aliased.errors?.[0]?.extensions).toMatchObject({ limit: 'aliases', maximum: 1, actual: 2 });
    const directed = await tight.execute(`{ __typename @skip(if: false) __typename @include(if: true) }`);
    expect(directed.errors?.[0]?.extensions).toMatchObject({ limit: 'directives', maximum: 1, actual: 2 });
    expect((await tight.execute(`{ authors { nodes { name } } }`)).errors).toBeUndefined();
  });

  it('follows the token override', async () => {
    const tight = await start({ limits: { maxTokens: 100 } });
    const result = await tight.execute(`{ ${Array.from({ length: 120 }, () => '__typename').join(' ')} }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('reports at most 100 validation errors', async () => {
    const fields = Array.from({ length: 300 }, (_, i) => `nope${i}`).join(' ');
    const result = await server.execute(`{ ${fields} }`);
    expect(result.status).toBe(400);
    expect(result.errors!.length).toBeLessThanOrEqual(101);
    expect(result.errors!.at(-1)!.message).toMatch(/Too many validation errors/);
  });

  it('answers a body over the limit with a JSON 413', async () => {
    const small = await start({ http: { maxBodyBytes: 2048 } });
    const response = await fetch(small.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(4096)}` }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('does not batch operations over HTTP', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].message).toMatch(/batching/i);
  });
});

describe('production posture', () => {
  let production: TestServer;
  beforeAll(async () => {
    production = await start({ nodeEnv: 'production', limits: { introspection: false } });
  });

  it('turns introspection off, and on again with INKQL_INTROSPECTION=on', async () => {
    const query = `{ __schema { queryType { name } } }`;
    const off = await production.execute(query);
    expect(off.status).toBe(400);
    expect(off.errors?.[0]?.message).toMatch(/introspection/i);
    const on = await start({ nodeEnv: 'production', limits: { introspection: true } });
    expect((await on.execute(query)).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  it('gives no field suggestions and no trace without the debug token', async () => {
    const result = await production.execute(`{ post(id: "x") { titel } }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect(result.trace).toBeUndefined();
    const development = await server.execute(`{ post(id: "x") { titel } }`);
    expect(development.errors?.[0]?.message).toMatch(/Did you mean "title"\?/);
  });

  it('refuses CSRF simple requests and mutations over GET', async () => {
    const simple = await fetch(`${production.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(simple.status).toBe(400);
    expect((await simple.json()).errors[0].message).toMatch(/CSRF/);
    const mutation = await fetch(`${production.url}?query=${encodeURIComponent('mutation { __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(mutation.status).toBe(405);
  });
});

describe('client budgets', () => {
  const prefix = () => `inkql-test-limits:${randomBytes(6).toString('hex')}:`;

  it('are off by default: no throttle status, no headers, rateLimit null', async () => {
    const result = await server.execute(RATE_LIMIT);
    expect(result.data).toEqual({ rateLimit: null });
    expect(result.extensions?.cost.throttleStatus).toBeUndefined();
    expect(result.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('charge the actual cost, report it, and refuse with 429 THROTTLED before any SQL', async () => {
    const budgeted = await start({ budgets: { size: 60, restoreRate: 1 } });
    const first = await budgeted.execute(PAGE, { n: 20 });
    expect(first.status).toBe(200);
    expect(first.extensions?.cost).toEqual({
      requestedQueryCost: 42,
      actualQueryCost: 42,
      throttleStatus: { maximumAvailable: 60, currentlyAvailable: expect.any(Number), restoreRate: 1 },
    });
    const left = first.extensions!.cost.throttleStatus.currentlyAvailable;
    expect(left).toBeGreaterThanOrEqual(18);
    expect(left).toBeLessThan(42);
    expect(first.headers.get('x-ratelimit-limit')).toBe('60');
    expect(first.headers.get('x-ratelimit-remaining')).toBe(String(left));
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    const refused = await budgeted.execute(PAGE, { n: 20 });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'THROTTLED', cost: 42 });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.trace.sql.count).toBe(0);

    // More than a full bucket is never retryable.
    const tooBig = await budgeted.execute(PAGE, { n: 50 });
    expect(tooBig.status).toBe(400);
    expect(tooBig.errors?.[0]?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 102, maximum: 60 });

    // Another client (an author with a valid token) has its own bucket; an invented token does not.
    const token = await issueApiToken(database.handle.db, 1);
    const other = await budgeted.execute(PAGE, { n: 20 }, { headers: { authorization: `Bearer ${token}` } });
    expect(other.status).toBe(200);
    const invented = await budgeted.execute(PAGE, { n: 20 }, { headers: { authorization: 'Bearer someone-else' } });
    expect(invented.status).toBe(429);
  });

  it('show in Query.rateLimit like GitHub', async () => {
    const budgeted = await start({ budgets: { size: 500, restoreRate: 10 } });
    const result = await budgeted.execute(`{ rateLimit { limit cost remaining resetAt } posts(first: 5) { nodes { title } } }`);
    expect(result.data.rateLimit).toMatchObject({ limit: 500, cost: 7, remaining: 493 });
    expect(Date.parse(result.data.rateLimit.resetAt)).toBeGreaterThan(Date.now());
  });

  const redisUrl = inject('redisUrl');
  it.runIf(redisUrl)('are shared through Redis by all server processes', async () => {
    const keyPrefix = prefix();
    const overrides = { cache: { redisUrl }, budgets: { keyPrefix, size: 50, restoreRate: 1 } };
    const one = await start(overrides);
    const two = await start(overrides);
    expect((await one.execute(PAGE, { n: 20 })).status).toBe(200);
    const refused = await two.execute(PAGE, { n: 20 });
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions?.code).toBe('THROTTLED');
    expect(Number(refused.headers.get('x-ratelimit-remaining'))).toBeLessThan(42);
  });

  it('let requests through when their Redis is unreachable', async () => {
    // A port that refuses connections: bind one, then close it.
    const port = await new Promise<number>((resolve) => {
      const probe = createTcpServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const budgeted = await start({ cache: { redisUrl: `redis://127.0.0.1:${port}` }, budgets: { keyPrefix: prefix(), size: 50, restoreRate: 1 } });
    for (let i = 0; i < 3; i++) {
      const result = await budgeted.execute(PAGE, { n: 20 });
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
    }
  });
});
