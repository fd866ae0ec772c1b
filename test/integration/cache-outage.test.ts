import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppCache, CACHE_RETRY_AFTER_MS } from '../../src/cache/app-cache.ts';
import { createCache } from '../../src/cache/create-cache.ts';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// A cache outage degrades to computing the value, never to an error or a hang, and
// the cache comes back by itself. On a redis-server of this file's own (the shared one must
// never be stopped), killed with SIGKILL, frozen with SIGSTOP, and started again.

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
/** The cache's own bound is 100 ms per call; this margin is for a loaded, shared machine. */
const CALL_BOUND_MS = 1000;
/** A whole request during the outage: SQL plus a few timed-out cache calls. */
const REQUEST_BOUND_MS = 2000;
const RECOVERY_WAIT_MS = 15_000;

const STATS = `{ stats { postCount totalWords } }`;
const silent = { warn: () => {}, info: () => {} };

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describe.skipIf(!hasRedisServer)('Redis outage (skipped: no redis-server binary)', () => {
  let redis: OwnRedis;

  beforeAll(async () => {
    redis = await startOwnRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  describe('the cache module', () => {
    let cache: AppCache;
    const warnings: string[] = [];

    beforeAll(() => {
      cache = createCache(
        { enabled: true, redisUrl: redis.url, maxEntries: 100, namespace: 'inkql-outage-unit', timeoutMs: 100 },
        { warn: (_o, message) => warnings.push(message), info: () => {} },
      );
    });
    afterAll(async () => {
      await cache?.close();
    });

    async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
      const started = performance.now();
      const value = await run();
      return { value, ms: performance.now() - started };
    }

    it('stores and reads while Redis is up', async () => {
      // The client connects in the background; a call before that is a miss, by design.
      const connected = await until(async () => {
        await cache.setMany([{ key: 'k', value: 7, ttlMs: 60_000 }]);
        return (await cache.getMany(['k']))[0] === 7;
      }, RECOVERY_WAIT_MS);
      expect(connected).toBe(true);
    });

    it('answers every call quickly as a miss when Redis is killed, warning once', async () => {
      await redis.kill();
      for (let i = 0; i < 3; i++) {
        // Past the back-off, so that each round really tries (and fails) to reconnect.
        await new Promise((resolve) => setTimeout(resolve, CACHE_RETRY_AFTER_MS + 100));
        const read = await timed(() => cache.getMany(['k', 'other']));
        expect(read.value).toEqual([undefined, undefined]);
        expect(read.ms).toBeLessThan(CALL_BOUND_MS);
        const write = await timed(() => cache.setMany([{ key: 'k', value: 8, ttlMs: 60_000 }]));
        expect(write.ms).toBeLessThan(CALL_BOUND_MS);
      }
      expect(cache.failures).toBeGreaterThan(0);
      expect(warnings).toHaveLength(1);
      // @keyv/redis re-adds its listeners on each reconnect attempt unless create-cache.ts stops it.
      const listeners = (cache.keyv!.store as { client: { listenerCount(event: string): number } }).client.listenerCount('error');
      expect(listeners).toBeLessThanOrEqual(2);
    });

    it('comes back by itself when Redis restarts', async () => {
      await redis.restart();
      const back = await until(async () => {
        await cache.setMany([{ key: 'k', value: 9, ttlMs: 60_000 }]);
        return (await cache.getMany(['k']))[0] === 9;
      }, RECOVERY_WAIT_MS);
      expect(back).toBe(true);
    });

    it('answers within its timeout when Redis stops answering (SIGSTOP) and recovers on SIGCONT', async () => {
      await cache.setMany([{ key: 'k', value: 10, ttlMs: 60_000 }]);
      redis.signal('SIGSTOP');
      try {
        const read = await timed(() => cache.getMany(['k']));
        expect(read.value).toEqual([undefined]);
        expect(read.ms).toBeLessThan(CALL_BOUND_MS);
      } finally {
        redis.signal('SIGCONT');
      }
      expect(await until(async () => (await cache.getMany(['k']))[0] === 10, RECOVERY_WAIT_MS)).toBe(true);
    });
  });

  describe('a server', () => {
    let database: TestDatabase;
    let server: TestServer;

    beforeAll(async () => {
      database = await createTestDatabase();
      server = await startTestServer(database, { cache: { redisUrl: redis.url, namespace: 'inkql-outage-server' } });
    });
    afterAll(async () => {
      await server?.close();
      await database?.close();
    });

    async function timedStats() {
      const started = performance.now();
      const result = await server.execute(STATS);
      return { result, ms: performance.now() - started };
    }

    it('serves stats from Redis while it is up', async () => {
      // Retried: on a loaded machine one call may exceed the 100 ms bound and count as a miss.
      const cached = await until(async () => {
        await server.execute(STATS);
        const { result } = await timedStats();
        return result.trace.sql.count === 0 && result.trace.cache.backend === 'redis';
      }, RECOVERY_WAIT_MS);
      expect(cached).toBe(true);
    });

    it('keeps answering correctly, computing from the database, after Redis is killed', async () => {
      const expected = (await server.execute(STATS)).data;
      await redis.kill();
      for (let i = 0; i < 3; i++) {
        const { result, ms } = await timedStats();
        expect(result.errors).toBeUndefined();
        expect(result.data).toEqual(expected);
        expect(result.trace.sql.count).toBe(1);
        expect(ms).toBeLessThan(REQUEST_BOUND_MS);
      }
      const counts = await server.execute(`{ authors(first: 5) { nodes { postCount } } }`);
      expect(counts.errors).toBeUndefined();
    });

    it('uses the cache again once Redis is back on the same port', async () => {
      await redis.restart();
      const back = await until(async () => {
        await server.execute(STATS);
        return (await server.execute(STATS)).trace.sql.count === 0;
      }, RECOVERY_WAIT_MS);
      expect(back).toBe(true);
    });
  });
});
