import { defineConfig } from 'vitest/config';
import { loadTestServices } from './src/config.ts';

// Integration tests run once on embedded PGlite and, when .ci/run (or you) set
// TEST_DATABASE_URL, once more on real Postgres: the same files, told apart by `inject('database')`.
const services = loadTestServices();

const integration = {
  include: ['test/integration/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    // The explorer bundle is not committed: built here (when stale) before any file serves it.
    globalSetup: ['test/browser/build-explorer.global-setup.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // One Chromium launch per file, on PGlite only: the browser checks the page, not the database.
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          provide: { database: 'pglite' as const, redisUrl: services.redisUrl ?? '' },
        },
      },
      { test: { name: 'pglite', ...integration, provide: { database: 'pglite' as const, redisUrl: services.redisUrl ?? '' } } },
      ...(services.databaseUrl
        ? [
            {
              test: {
                name: 'postgres',
                ...integration,
                provide: { database: 'postgres' as const, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl ?? '' },
              },
            },
          ]
        : []),
    ],
  },
});
