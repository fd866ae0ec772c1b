import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { FailOpenGuard } from '../../src/cache/fail-open-guard.ts';
import type { ConfigOverrides } from '../../src/config.ts';
import { createRedisBudgetStore } from '../../src/limits/redis-budget-store.ts';
import { mergeOverrides } from '../support/config-overrides.ts';
import { startServersSharingRedis } from '../support/servers-sharing-redis.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type GraphQLResult, type TestServer } from '../support/test-server.ts';

// Client budgets that no client can dodge: keyed on the verified author or the client's address,
// reserved atomically before execution, never overdrawn by concurrent requests.

/** Costs 2 + n × 2: 22 for n = 10, 42 for n = 20 (the test database has 240 posts, so actual = requested). */
const PAGE = `query ($n: Int) { posts(first: $n) { nodes { title author { name } } } }`;

let database: TestDatabase;
const servers: TestServer[] = [];

async function start(overrides: ConfigOverrides): Promise<TestServer> {
  const started = await startTestServer(database, mergeOverrides({ budgets: { restoreRate: 1 } }, overrides));
  servers.push(started);
  return started;
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
const statuses = (results: readonly GraphQLResult[]) => results.map((result) => result.status);

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  for (const started of servers) await started.close();
  await database?.close();
});

describe('whose bucket pays', () => {
  it('gives invented bearer tokens no bucket of their own: they share the address', async () => {
    const budgeted = await start({ budgets: { size: 100 } });
    const results: GraphQLResult[] = [];
    for (let i = 0; i < 10; i++) {
      results.push(await budgeted.execute(PAGE, { n: 20 }, bearer(randomBytes(16).toString('hex'))));
    }
    // 100 points pay for two requests of 42; the bucket regains 1 point a second.
    expect(statuses(results)).toEqual([200, 200, ...Array(8).fill(429)]);
  });

  it('keys a valid token on its author: two tokens of one author share a bucket, another author has their own', async () => {
    const budgeted = await start({ budgets: { size: 50 } });
    const [first, second, other] = await Promise.all([
      issueApiToken(database.handle.db, 1),
      issueApiToken(database.handle.db, 1),
      issueApiToken(database.handle.db, 2),
    ]);
    expect((await budgeted.execute(PAGE, { n: 20 }, bearer(first))).status).toBe(200);
    expect((await budgeted.execute(PAGE, { n: 20 }, bearer(second))).status).toBe(429);
    expect((await budgeted.execute(PAGE, { n: 20 }, bearer(other))).status).toBe(200);
    // The address's own bucket is apart from the authors'; an invalid token then pays from it.
    expect((await budgeted.execute(PAGE, { n: 20 })).status).toBe(200);
    expect((await budgeted.execute(PAGE, { n: 20 }, bearer('inkql_not-a-real-token'))).status).toBe(429);
  });

  it('reads X-Forwarded-For only when INKQL_TRUST_PROXY says so', async () => {
    const forwarded = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    const direct = await start({ budgets: { size: 50 } });
    expect((await direct.execute(PAGE, { n: 20 }, forwarded('10.0.0.1'))).status).toBe(200);
    expect((await direct.execute(PAGE, { n: 20 }, forwarded('10.0.0.2'))).status).toBe(429);

    const proxied = await start({ http: { trustProxy: true }, budgets: { size: 50 } });
    expect((await proxied.execute(PAGE, { n: 20 }, forwarded('10.0.0.1'))).status).toBe(200);
    expect((await proxied.execute(PAGE, { n: 20 }, forwarded('10.0.0.2'))).status).toBe(200);
    expect((await proxied.execute(PAGE, { n: 20 }, forwarded('10.0.0.1'))).status).toBe(429);
  });
});

/** 50 requests of 22 points at once from one client; returns the points the admitted ones cost. */
async function admittedCostOfBurst(pick: (i: number) => TestServer): Promise<{ admitted: number; cost: number }> {
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pick(i).execute(PAGE, { n: 10 }, { trace: false })));
  const admitted = results.filter((result) => result.status === 200);
  for (const result of results) expect([200, 429]).toContain(result.status);
  return { admitted: admitted.length, cost: admitted.reduce((sum, result) => sum + result.extensions!.cost.actualQueryCost, 0) };
}

describe('concurrent requests', () => {
  const BUCKET = 100;
  const ONE_REQUEST = 22;

  it('never overdraw a bucket in one process', async () => {
    const budgeted = await start({ budgets: { size: BUCKET } });
    const { admitted, cost } = await admittedCostOfBurst(() => budgeted);
    expect(admitted).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(BUCKET + ONE_REQUEST);
  });

  const redisUrl = inject('redisUrl');
  it.runIf(redisUrl)('never overdraw a bucket that two servers share through Redis', async () => {
    const pair = await startServersSharingRedis(database, redisUrl, 'budgets', {
      budgets: { size: BUCKET, restoreRate: 1, keyPrefix: `inkql-test-budgets:${randomBytes(6).toString('hex')}:` },
    });
    try {
      const { admitted, cost } = await admittedCostOfBurst((i) => (i % 2 === 0 ? pair.a : pair.b));
      expect(admitted).toBeGreaterThan(0);
      expect(cost).toBeLessThanOrEqual(BUCKET + ONE_REQUEST);
    } finally {
      await pair.close();
    }
  });
});

describe('settling', () => {
  it('refunds nothing to a request whose errors blanked the work it did', async () => {
    const budgeted = await start({ budgets: { size: 100 } });
    // excerpt(words: 0) fails on every post after the page was read; the non-null list above it
    // turns the whole page into null, which alone would price at 0.
    const result = await budgeted.execute(`{ posts(first: 20) { nodes { title excerpt(words: 0) } } }`, {}, { trace: false });
    expect(result.data).toEqual({ posts: null });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { requestedQueryCost, actualQueryCost } = result.extensions!.cost;
    expect(requestedQueryCost).toBeGreaterThan(20);
    expect(actualQueryCost).toBe(requestedQueryCost);
    // The bucket regains 1 point a second: at most a few points back, never the whole reservation.
    expect(Number(result.headers.get('x-ratelimit-remaining'))).toBeLessThanOrEqual(100 - requestedQueryCost + 5);
  });
});

describe('the Redis budget store', () => {
  const redisUrl = inject('redisUrl');
  it.runIf(redisUrl)('reserves in one atomic step and settles between empty and full', async () => {
    const warnings: unknown[] = [];
    const guard = new FailOpenGuard({ timeoutMs: 5000, store: 'redis', logger: { warn: (o) => warnings.push(o), info: () => {} } });
    const store = createRedisBudgetStore({
      url: redisUrl,
      // Refills 1 point in 1000 s: the arithmetic below does not drift while it runs.
      shape: { size: 100, restoreRate: 0.001 },
      keyPrefix: `inkql-test-budget-store:${randomBytes(6).toString('hex')}:`,
      guard,
    });
    try {
      await store.connect();
      const reservations = await Promise.all(Array.from({ length: 50 }, () => store.reserve('a', 22)));
      expect(reservations.filter((r) => r.admitted)).toHaveLength(4);
      expect(reservations.every((r) => r.held)).toBe(true);
      expect((await store.reserve('a', 13)).admitted).toBe(false);
      expect(Math.floor((await store.settle('a', -40))!.available)).toBe(52);
      expect(Math.floor((await store.settle('a', 30))!.available)).toBe(22);
      expect(Math.floor((await store.settle('a', -500))!.available)).toBe(100);
      expect((await store.settle('a', 500))!.available).toBe(0);
      expect(warnings).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('pricing lists by their upper bound', () => {
  it("never charges more than it priced for a post's tags", async () => {
    const server = await start({ budgets: { size: 0 } });
    const result = await server.execute(`{ posts(first: 10) { nodes { tags { name posts(first: 5) { nodes { title } } } } } }`);
    expect(result.errors).toBeUndefined();
    const { requestedQueryCost, actualQueryCost } = result.extensions!.cost;
    expect(actualQueryCost).toBeGreaterThan(0);
    expect(actualQueryCost).toBeLessThanOrEqual(requestedQueryCost);
  });
});
