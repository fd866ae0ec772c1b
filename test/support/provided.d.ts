declare module 'vitest' {
  export interface ProvidedContext {
    /** Which database the integration project runs on (vitest.config.ts). */
    database: 'pglite' | 'postgres';
    databaseUrl?: string;
    /** TEST_REDIS_URL, or '' when there is none. */
    redisUrl: string;
  }
}
export {};
