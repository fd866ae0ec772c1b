import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// The GraphQL-over-HTTP audit of graphql-http (pinned in package.json) against a real server.
// Apollo Server publishes 54 of 60 passing; the warnings we still have are listed in docs/limits-and-security.md.

export const MIN_PASSING_AUDITS = 54;

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database);
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

it('passes every MUST audit of the GraphQL-over-HTTP spec and at least 54 of 60', async () => {
  const audits = serverAudits({ url: server.url });
  const results = await Promise.all(audits.map((audit) => audit.fn()));
  const failing = results.filter((result) => result.status !== 'ok');
  const describe = (result: (typeof results)[number]) =>
    `${result.status} ${result.id} ${result.name}${'reason' in result ? `: ${result.reason}` : ''}`;
  console.info(`graphql-http audit: ${results.length - failing.length} of ${results.length} passing\n${failing.map(describe).join('\n')}`);
  expect(failing.filter((result) => result.name.startsWith('MUST')).map(describe)).toEqual([]);
  expect(results.length - failing.length).toBeGreaterThanOrEqual(MIN_PASSING_AUDITS);
});
