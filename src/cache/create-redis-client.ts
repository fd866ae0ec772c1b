import { createClient } from '@redis/client';

/**
 * node-redis's defaults queue commands while the client reconnects, so calls hang while Redis is
 * down (PITFALLS.md). These settings make a call fail fast instead: no offline queue, no
 * background reconnect loop (the next call connects again), a ping that notices a dead peer and
 * a socket timeout that drops a frozen one.
 */
export const REDIS_CONNECT_TIMEOUT_MS = 500;
export const REDIS_SOCKET_TIMEOUT_MS = 1000;
export const REDIS_PING_INTERVAL_MS = 400;

/** A node-redis client with the settings above, not yet connected; the cache and the client budgets each hold one. */
export function createRedisClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    pingInterval: REDIS_PING_INTERVAL_MS,
    socket: { reconnectStrategy: false, connectTimeout: REDIS_CONNECT_TIMEOUT_MS, socketTimeout: REDIS_SOCKET_TIMEOUT_MS },
  });
}

export type RedisClient = ReturnType<typeof createRedisClient>;
