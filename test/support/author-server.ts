import { afterAll, beforeAll } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import type { ConfigOverrides } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/** A file's seeded database, its server, and the Authorization header of author 1. */
export interface AuthorServer {
  readonly database: TestDatabase;
  readonly server: TestServer;
  readonly auth: Record<string, string>;
}

/**
 * Registers the file's beforeAll/afterAll: a fresh database and server, and a token of author 1
 * for writes. Read the fields inside tests (they are set once beforeAll has run).
 */
export function useAuthorServer(overrides: ConfigOverrides = {}): AuthorServer {
  let database: TestDatabase | undefined;
  let server: TestServer | undefined;
  let auth: Record<string, string> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database, overrides);
    auth = { authorization: `Bearer ${await issueApiToken(database.handle.db, 1)}` };
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useAuthorServer: read its fields inside a test, after beforeAll');
    return value;
  };
  return {
    get database() {
      return ready(database);
    },
    get server() {
      return ready(server);
    },
    get auth() {
      return ready(auth);
    },
  };
}
