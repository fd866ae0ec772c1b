import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { freePort } from '../support/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { launchChromium } from './launch-chromium.ts';

// A frontend on another origin, as a Vite dev server beside inkql would serve it: a page from a
// second local server (another port, so another origin) calls inkql with fetch and with Apollo
// Client, a query and a mutation each. Only CORS lets Chromium send them and show the answers.

const launched = await launchChromium();
if (launched.reason) console.warn(`SKIPPING the cross-origin browser test: ${launched.reason}`);

const CLIENT_ENTRY = fileURLToPath(new URL('./cross-origin-client.ts', import.meta.url));

/** Apollo Client and the page's script, bundled for the browser. */
async function bundleClient(): Promise<string> {
  const result = await build({ entryPoints: [CLIENT_ENTRY], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'warning' });
  return result.outputFiles[0]!.text;
}

/** The second origin: a page and its script, nothing else. */
async function startPageServer(script: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/client.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><html><head><script type="module" src="/client.js"></script></head><body>frontend</body></html>');
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${port}` };
}

describe.skipIf(!launched.browser)('a page on another origin in Chromium', () => {
  let database: TestDatabase;
  let server: TestServer;
  let pageServer: Server;
  let page: Page;
  let token: string;
  const failures: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
    token = await issueApiToken(database.handle.db, 1);
    const started = await startPageServer(await bundleClient());
    pageServer = started.server;
    expect(new URL(server.url).origin).not.toBe(started.origin);
    page = await launched.browser!.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') failures.push(message.text());
    });
    page.on('pageerror', (error) => failures.push(String(error)));
    await page.goto(started.origin);
    await page.waitForFunction(() => 'withApolloClient' in window);
  });

  afterAll(async () => {
    await launched.browser?.close();
    await new Promise((resolve) => pageServer?.close(resolve));
    await server?.close();
    await database?.close();
  });

  it('runs a query and a mutation with fetch, and reads the exposed headers', async () => {
    const result = await page.evaluate(
      async ({ url, token }) => {
        const post = (body: object, headers: Record<string, string> = {}) =>
          fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
        const read = await post({ query: '{ stats { postCount } }' }, { 'x-inkql-trace': '1' });
        const written = await post(
          { query: 'mutation ($input: CreatePostInput!) { createPost(input: $input) { post { title } } }', variables: { input: { title: 'Fetched across origins', body: 'Hello.' } } },
          { authorization: `Bearer ${token}` },
        );
        return {
          postCount: (await read.json()).data.stats.postCount as number,
          serverTiming: read.headers.get('server-timing'),
          title: (await written.json()).data.createPost.post.title as string,
        };
      },
      { url: server.url, token },
    );
    expect(result.postCount).toBeGreaterThan(0);
    expect(result.serverTiming).toMatch(/sql;dur=/);
    expect(result.title).toBe('Fetched across origins');
    expect(failures).toEqual([]);
  });

  it('runs a query and a mutation with Apollo Client', async () => {
    const result = await page.evaluate(
      ({ url, token }) => (window as any).withApolloClient(url, token, 'Written by Apollo Client') as Promise<{ postCount: number; title: string }>,
      { url: server.url, token },
    );
    expect(result.postCount).toBeGreaterThan(0);
    expect(result.title).toBe('Written by Apollo Client');
    expect(failures).toEqual([]);
  });
});
