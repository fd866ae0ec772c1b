import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { loadTestServices } from './src/config.ts';

// Integration tests run once on embedded PGlite and, when .ci/run (or you) set
// TEST_DATABASE_URL, once more on real Postgres: the same files, told apart by `inject('database')`.
const services = loadTestServices();

// Node loads graphql's CommonJS entry for Apollo and graphql-query-complexity; Vite would pick
// its `module` entry (index.mjs) for our sources, giving two realms whose GraphQLError and
// schema types fail instanceof checks. One entry for everyone, as in production.
const resolve = {
  alias: [{ find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) }],
};

const integration = {
  include: ['test/integration/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    // The explorer and server bundles are not committed: built here before any file uses them.
    globalSetup: ['test/browser/build-bundles.global-setup.ts'],
    projects: [
      { resolve, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // One Chromium launch per file, on PGlite only: the browser checks the page, not the database.
      {
        resolve,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          provide: { database: 'pglite' as const, redisUrl: services.redisUrl ?? '' },
        },
      },
      { resolve, test: { name: 'pglite', ...integration, provide: { database: 'pglite' as const, redisUrl: services.redisUrl ?? '' } } },
      ...(services.databaseUrl
        ? [
            {
              resolve,
              test: {
                name: 'postgres',
                ...integration,
                provide: { database: 'postgres' as const, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl ?? '', replicaUrl: services.replicaUrl ?? '' },
              },
            },
          ]
        : []),
    ],
  },
});
