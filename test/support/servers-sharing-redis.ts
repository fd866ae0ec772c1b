import { randomBytes } from 'node:crypto';
import type { ConfigOverrides } from '../../src/config.ts';
import { mergeOverrides } from './config-overrides.ts';
import type { TestDatabase } from './test-database.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/**
 * These pairs check which keys are hit and invalidated, not the fail-open timeout (cache-outage
 * tests that): under a loaded machine a shared-Redis call can exceed 100 ms and count as a miss.
 */
export const PATIENT_CACHE_TIMEOUT_MS = 5000;

export interface ServerPair {
  readonly a: TestServer;
  readonly b: TestServer;
  /** Clears the pair's Redis namespace and stops both servers. */
  close(): Promise<void>;
}

/**
 * Two servers over one database as two processes would be (each its own Apollo, loaders and cache
 * client), sharing a Redis namespace of their own so test files never see each other's keys.
 */
export async function startServersSharingRedis(
  database: TestDatabase,
  redisUrl: string,
  label: string,
  extra: ConfigOverrides = {},
): Promise<ServerPair> {
  const overrides = mergeOverrides(extra, {
    cache: { redisUrl, namespace: `inkql-test-${label}-${randomBytes(4).toString('hex')}`, timeoutMs: PATIENT_CACHE_TIMEOUT_MS },
  });
  const a = await startTestServer(database, overrides);
  const b = await startTestServer(database, overrides);
  return {
    a,
    b,
    close: async () => {
      await a.server.cache.keyv?.clear();
      await a.close();
      await b.close();
    },
  };
}
