import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORS_PREFLIGHT_MAX_AGE_S } from '../../src/http/register-cors.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

// CORS as a browser meets it: the preflight, then the request itself, for allowed and refused
// origins, in development (localhost on any port) and in production (INKQL_CORS_ORIGINS only).

const APP = 'https://app.example.com';
const QUERY = JSON.stringify({ query: '{ stats { postCount } }' });

let database: TestDatabase;
let development: TestServer;
let listed: TestServer;
let sameOriginOnly: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  development = await startTestServer(database);
  listed = await startTestServer(database, { nodeEnv: 'production', http: { corsOrigins: [APP] } });
  sameOriginOnly = await startTestServer(database, { nodeEnv: 'production' });
});

afterAll(async () => {
  await Promise.all([development?.close(), listed?.close(), sameOriginOnly?.close()]);
  await database?.close();
});

function preflight(server: TestServer, origin: string, requestHeaders = 'content-type, authorization') {
  return fetch(server.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
}

function post(server: TestServer, origin?: string) {
  return fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: QUERY,
  });
}

/** The comma-separated names of a header, lower-cased. */
function names(response: Response, header: string): string[] {
  return (response.headers.get(header) ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
}

describe('in development', () => {
  it.each(['http://localhost:5173', 'http://127.0.0.1:3000', 'http://localhost', 'http://[::1]:8080'])(
    'answers the preflight from %s with 204 and what it may send',
    async (origin) => {
      const response = await preflight(development, origin, 'content-type, authorization, apollo-require-preflight, x-inkql-trace');
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(names(response, 'access-control-allow-methods')).toEqual(['get', 'post']);
      expect(names(response, 'access-control-allow-headers')).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'apollo-require-preflight', 'x-inkql-trace', 'x-inkql-debug-token']),
      );
      expect(response.headers.get('access-control-max-age')).toBe(String(CORS_PREFLIGHT_MAX_AGE_S));
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(names(response, 'vary')).toContain('origin');
    },
  );

  it('lets a local page read the answer and the headers it needs', async () => {
    const response = await post(development, 'http://localhost:5173');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(names(response, 'access-control-expose-headers')).toEqual(
      expect.arrayContaining(['server-timing', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']),
    );
    // Apollo's own Vary (Accept, Authorization, ...) is kept, and Origin added to it.
    expect(names(response, 'vary')).toEqual(expect.arrayContaining(['accept', 'authorization', 'origin']));
    expect((await response.json()).data.stats.postCount).toBeGreaterThan(0);
  });

  it("lets a page send its trace's traceparent and read which trace the answer belongs to", async () => {
    const response = await preflight(development, 'http://localhost:5173', 'content-type, traceparent, tracestate');
    expect(response.status).toBe(204);
    expect(names(response, 'access-control-allow-headers')).toEqual(expect.arrayContaining(['traceparent', 'tracestate']));
    expect(names(await post(development, 'http://localhost:5173'), 'access-control-expose-headers')).toContain('traceresponse');
  });

  it('refuses a page of another host, even one that merely starts like localhost', async () => {
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example:80']) {
      const response = await post(development, origin);
      expect(response.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(names(response, 'vary'), origin).toContain('origin');
      const refused = await preflight(development, origin);
      expect(refused.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(refused.status, origin).toBe(405);
    }
  });
});

describe('in production with INKQL_CORS_ORIGINS', () => {
  it('answers the preflight of a listed origin', async () => {
    const response = await preflight(listed, APP);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('allows a listed origin and no other, localhost included', async () => {
    expect((await post(listed, APP)).headers.get('access-control-allow-origin')).toBe(APP);
    for (const origin of ['http://localhost:5173', 'https://other.example.com', `${APP}.evil.example`]) {
      const response = await post(listed, origin);
      expect(response.headers.get('access-control-allow-origin'), origin).toBeNull();
      expect(names(response, 'vary'), origin).toContain('origin');
      expect((await preflight(listed, origin)).headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});

describe('in production without INKQL_CORS_ORIGINS', () => {
  it('sends no CORS headers: same origin only', async () => {
    const response = await post(sameOriginOnly, APP);
    expect(response.status).toBe(200);
    for (const [name] of response.headers) expect(name).not.toMatch(/^access-control-/);
  });

  it('refuses the preflight in the GraphQL error shape', async () => {
    const response = await preflight(sameOriginOnly, 'http://localhost:5173');
    expect(response.status).toBe(405);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await response.json()).errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
  });
});
