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
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
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
