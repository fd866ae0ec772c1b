declare module 'vitest' {
  export interface ProvidedContext {
    /** Which database the integration project runs on (vitest.config.ts). */
    database: 'pglite' | 'postgres';
    databaseUrl?: string;
    /** TEST_REDIS_URL, or '' when there is none. */
    redisUrl: string;
    /** TEST_REPLICA_URL (a streaming replica of TEST_DATABASE_URL's server), or '' / absent when there is none. */
    replicaUrl?: string;
  }
}
export {};
