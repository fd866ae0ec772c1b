import { createClient } from '@redis/client';
import { DEFAULT_BUDGET_KEY_PREFIX } from '../config.ts';
import type { BudgetStore } from './budget-store.ts';
import { type BucketShape, type BudgetStatus, toBudgetStatus } from './leaky-bucket.ts';

/** A budget call that takes longer than this lets the request through (fail open, logged). */
export const REDIS_BUDGET_TIMEOUT_MS = 250;
export const REDIS_CONNECT_TIMEOUT_MS = 500;

// One atomic step per call, on Redis's clock, so every process sees the same bucket:
// refill by the time elapsed, pay ARGV[3] points (0 = just look), keep the hash until the
// bucket would be full again anyway. Returns { available as a string, now in ms }.
const DRAIN_SCRIPT = `
local size = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'available', 'at')
local available = tonumber(state[1])
local at = tonumber(state[2])
if available == nil or at == nil then
  available = size
  at = now
end
available = math.min(size, available + math.max(0, now - at) * rate / 1000)
if cost > 0 then
  available = math.max(0, available - cost)
  redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil((size - available) * 1000 / rate) + 1000)
end
return { tostring(available), tostring(now) }
`;

export interface RedisBudgetStoreOptions {
  readonly url: string;
  readonly shape: BucketShape;
  readonly keyPrefix?: string;
  /** Told about Redis errors and timeouts; the request then goes through unthrottled. */
  readonly onError: (error: unknown) => void;
}

/**
 * Buckets in Redis, shared by all server processes. When Redis is down or slow the client is
 * not throttled (a budget outage must not become an API outage): the call resolves to a full
 * bucket and the error is reported.
 */
export function createRedisBudgetStore({ url, shape, keyPrefix = DEFAULT_BUDGET_KEY_PREFIX, onError }: RedisBudgetStoreOptions): BudgetStore {
  const client = createClient({
    url,
    // Fail fast while disconnected instead of queueing commands until Redis returns.
    disableOfflineQueue: true,
    socket: { connectTimeout: REDIS_CONNECT_TIMEOUT_MS, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  client.on('error', onError);
  // connect() keeps retrying in the background while Redis is away; callers wait for it only
  // up to REDIS_BUDGET_TIMEOUT_MS.
  const connecting = client.connect();
  connecting.catch(onError);

  const run = async (clientKey: string, cost: number): Promise<BudgetStatus> => {
    let timer: NodeJS.Timeout | undefined;
    const attempt = (async () => {
      if (!client.isReady) await connecting;
      const args = [keyPrefix + clientKey, String(shape.size), String(shape.restoreRate), String(cost)];
      return client.sendCommand<[string, string]>(['EVAL', DRAIN_SCRIPT, '1', ...args]);
    })();
    attempt.catch(() => {}); // a late failure after the timeout was already reported
    try {
      const reply = await Promise.race([
        attempt,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`Redis budget call timed out after ${REDIS_BUDGET_TIMEOUT_MS} ms`)), REDIS_BUDGET_TIMEOUT_MS);
        }),
      ]);
      return toBudgetStatus(Number(reply[0]), Number(reply[1]), shape);
    } catch (error) {
      onError(error);
      return toBudgetStatus(shape.size, Date.now(), shape);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    peek: (clientKey) => run(clientKey, 0),
    charge: (clientKey, cost) => run(clientKey, cost),
    async close() {
      // destroy() also stops a reconnect loop; close() would wait for a Redis that is not there.
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}
