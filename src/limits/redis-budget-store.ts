import { createRedisClient, REDIS_CONNECT_TIMEOUT_MS } from '../cache/create-redis-client.ts';
import { type FailOpenGuard, withTimeout } from '../cache/fail-open-guard.ts';
import { DEFAULT_BUDGET_KEY_PREFIX } from '../config.ts';
import type { BudgetStore, Reservation } from './budget-store.ts';
import { type BucketShape, type BudgetStatus, toBudgetStatus } from './leaky-bucket.ts';

// One atomic step per call, on Redis's clock, so every process sees the same bucket: refill by
// the time elapsed, then
//   reserve: take ARGV[3] points only if that many are available (else change nothing);
//   settle:  pay ARGV[3] points (negative: give them back), staying between empty and full;
// and keep the hash until the bucket would be full again anyway.
// Returns { 1 if taken else 0, available as a string, now in ms }.
const BUCKET_SCRIPT = `
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
if ARGV[4] == 'reserve' and cost > available then
  return { 0, tostring(available), tostring(now) }
end
available = math.min(size, math.max(0, available - cost))
redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((size - available) * 1000 / rate) + 1000)
return { 1, tostring(available), tostring(now) }
`;

export interface RedisBudgetStoreOptions {
  readonly url: string;
  readonly shape: BucketShape;
  readonly keyPrefix?: string;
  /**
   * The timeout, back-off and outage log of this Redis, shared with the cache: a call that fails
   * or takes longer than the cache's timeout lets the request through, and after a failure both
   * skip Redis for a while.
   */
  readonly guard: FailOpenGuard;
}

/**
 * Buckets in Redis, shared by all server processes. When Redis is down or slow the client is
 * not throttled (a budget outage must not become an API outage): a reservation then holds
 * nothing and the request goes through.
 */
export function createRedisBudgetStore({ url, shape, keyPrefix = DEFAULT_BUDGET_KEY_PREFIX, guard }: RedisBudgetStoreOptions): BudgetStore {
  const client = createRedisClient(url);
  // Connection errors start the shared back-off; the guard logs them at most once per interval.
  client.on('error', (error: unknown) => guard.fail(error));
  // The client does not reconnect by itself: a call that finds it closed connects it again (one
  // attempt shared by concurrent calls), within the guard's timeout and outside its back-off.
  let connecting: Promise<void> | undefined;
  const connect = () =>
    (connecting ??= client
      .connect()
      .then(
        () => {},
        (error: unknown) => guard.fail(error),
      )
      .finally(() => {
        connecting = undefined;
      }));
  const opening = connect();

  const run = (clientKey: string, cost: number, mode: 'reserve' | 'settle') =>
    guard.run(async () => {
      if (!client.isOpen || connecting) await connect();
      const args = [keyPrefix + clientKey, String(shape.size), String(shape.restoreRate), String(cost), mode];
      return client.sendCommand<[number, string, string]>(['EVAL', BUCKET_SCRIPT, '1', ...args]);
    });

  return {
    async reserve(clientKey, cost): Promise<Reservation> {
      const reply = await run(clientKey, cost, 'reserve');
      if (!reply) return { admitted: true, status: toBudgetStatus(shape.size, Date.now(), shape), held: false };
      return { admitted: reply[0] === 1, status: toBudgetStatus(Number(reply[1]), Number(reply[2]), shape), held: true };
    },
    async settle(clientKey, extra): Promise<BudgetStatus | undefined> {
      const reply = await run(clientKey, extra, 'settle');
      return reply && toBudgetStatus(Number(reply[1]), Number(reply[2]), shape);
    },
    async connect() {
      await withTimeout(opening, REDIS_CONNECT_TIMEOUT_MS);
    },
    async close() {
      // destroy() also ends a connection attempt; close() would wait for a Redis that is not there.
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}
