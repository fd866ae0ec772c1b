import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, toResult, type TestServer } from '../support/test-server.ts';

// The explorer's routes over real HTTP; the page itself is checked in Chromium (test/browser).

let database: TestDatabase;
let development: TestServer;
let production: TestServer;

beforeAll(async () => {
  database = await createTestDatabase({ authors: 2, posts: 4, tags: 2 });
  development = await startTestServer(database);
  production = await startTestServer(database, { nodeEnv: 'production', limits: { introspection: false } });
});

afterAll(async () => {
  await development?.close();
  await production?.close();
  await database?.close();
});

const origin = (server: TestServer) => new URL(server.url).origin;
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

function pageConfig(html: string): any {
  const match = /<script id="inkql-explorer-config" type="application\/json">(.*?)<\/script>/.exec(html);
  return match ? JSON.parse(match[1]!) : undefined;
}

describe('explorer routes', () => {
  it('serves the explorer at / and at GET /graphql for browsers, same-origin only', async () => {
    for (const path of ['/', '/graphql']) {
      const response = await fetch(`${origin(development)}${path}`, { headers: HTML });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
      const html = await response.text();
      expect(html).not.toMatch(/https?:\/\//);
      expect(pageConfig(html)).toEqual({ endpoint: '/graphql', trace: true, assetPrefix: '/explorer/', maxCost: development.config.limits.maxCost, introspection: true });
    }
  });

  it('asks for traces only in development', async () => {
    const html = await (await fetch(`${origin(production)}/`, { headers: HTML })).text();
    expect(pageConfig(html).trace).toBe(false);
  });

  it('tells the page when introspection is off, so it runs without a schema', async () => {
    const html = await (await fetch(`${origin(production)}/`, { headers: HTML })).text();
    expect(pageConfig(html).introspection).toBe(false);
  });

  it('still answers GraphQL GET requests from a browser-like client', async () => {
    const response = await fetch(`${development.url}?query=${encodeURIComponent('{ posts(first: 1) { totalCount } }')}`, {
      headers: { ...HTML, 'apollo-require-preflight': 'true' },
    });
    const result = await toResult(response);
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ posts: { totalCount: 4 } });
  });

  it('still answers POST /graphql', async () => {
    const result = await development.execute('{ __typename }', undefined, { headers: HTML });
    expect(result.data).toEqual({ __typename: 'Query' });
  });

  it('serves the bundle and its Monaco workers, and nothing else from that folder', async () => {
    for (const file of ['explorer.js', 'explorer.css', 'editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      const response = await fetch(`${origin(development)}/explorer/${file}`);
      expect(response.status, file).toBe(200);
      await response.arrayBuffer();
    }
    for (const path of ['/explorer/..%2fexplorer-assets.ts', '/explorer/%2e%2e%2f%2e%2e%2fpackage.json', '/explorer/index.html']) {
      expect((await fetch(`${origin(development)}${path}`)).status, path).toBe(404);
    }
  });
});
