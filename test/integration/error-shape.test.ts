import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// Every refusal, whichever layer makes it, answers { errors: [{ message, extensions: { code } }] }
// as JSON, so a client parses one format.

let database: TestDatabase;
let server: TestServer;
let production: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database, { http: { maxBodyBytes: 4096 } });
  production = await startTestServer(database, { nodeEnv: 'production', limits: { introspection: false } });
});

afterAll(async () => {
  await Promise.all([server?.close(), production?.close()]);
  await database?.close();
});

async function refusal(response: Response): Promise<{ message: string; code: string }> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await response.json();
  expect(body.data).toBeUndefined();
  expect(body.errors).toHaveLength(1);
  expect(typeof body.errors[0].message).toBe('string');
  return { message: body.errors[0].message, code: body.errors[0].extensions.code };
}

const origin = () => new URL(server.url).origin;

describe('the GraphQL error shape', () => {
  it('answers an unknown path with 404 NOT_FOUND', async () => {
    const response = await fetch(`${origin()}/no/such/path?x=1`);
    expect(response.status).toBe(404);
    expect(await refusal(response)).toEqual({ code: 'NOT_FOUND', message: 'Nothing is served at "/no/such/path": GraphQL is at /graphql' });
  });

  it('answers an unknown explorer file with 404 NOT_FOUND', async () => {
    const response = await fetch(`${origin()}/explorer/nothing.js`);
    expect(response.status).toBe(404);
    expect((await refusal(response)).code).toBe('NOT_FOUND');
  });

  it('answers an OPTIONS that is not a CORS preflight with 405 and the methods the path answers', async () => {
    const response = await fetch(server.url, { method: 'OPTIONS' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await refusal(response)).code).toBe('METHOD_NOT_ALLOWED');
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('answers %s /graphql with 405 METHOD_NOT_ALLOWED and an Allow header', async (method) => {
    const response = await fetch(server.url, { method, headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await refusal(response)).toEqual({ code: 'METHOD_NOT_ALLOWED', message: `"/graphql" answers GET, HEAD, POST, not ${method}` });
  });

  it('answers a mutation over GET with 405 METHOD_NOT_ALLOWED, like a PUT', async () => {
    const search = new URLSearchParams({ query: 'mutation { deletePost(id: "UG9zdDox") { deletedId } }' });
    const response = await fetch(`${server.url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await refusal(response)).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(8192)}` }),
    });
    expect(response.status).toBe(413);
    expect((await refusal(response)).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('messages', () => {
  it('name the inkql setting when introspection is off', async () => {
    const result = await production.execute('{ __schema { queryType { name } } }');
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0]?.message).toContain('INKQL_INTROSPECTION=on');
    expect(result.errors?.[0]?.message).not.toMatch(/ApolloServer|introspection: true/);
  });

  it('say "an Author", not "a Author"', async () => {
    const result = await server.execute('query ($id: ID!) { post(id: $id) { id } }', { id: Buffer.from('Author:1').toString('base64') });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toBe('Argument "id" must be the ID of a Post, got the ID of an Author');
  });
});
