import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/auth/api-token.ts';
import { toGlobalId } from '../../src/global-id.ts';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { launchChromium } from './launch-chromium.ts';

// What a browser's own HTTP cache does with our Cache-Control: a page reads a post with GET (the
// cacheable kind of request), changes it with a mutation, reads it again with the same GET and
// must see the change. A `max-age` on the read would let Chromium answer from its cache.

const launched = await launchChromium();
if (launched.reason) console.warn(`SKIPPING the read-after-write browser test: ${launched.reason}`);

describe.skipIf(!launched.browser)('read after write in Chromium', () => {
  let database: TestDatabase;
  let server: TestServer;
  let page: Page;
  let token: string;
  let postId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
    token = await issueApiToken(database.handle.db, 1);
    const first = await server.execute(`query ($id: ID!) { author(id: $id) { posts(first: 1) { nodes { id } } } }`, {
      id: toGlobalId('Author', 1),
    });
    postId = first.data.author.posts.nodes[0].id;
    page = await launched.browser!.newPage();
    // Any page of the server's origin: the reads and the write below are same-origin fetches.
    await page.goto(new URL('/healthz', server.url).toString());
  });

  afterAll(async () => {
    await launched.browser?.close();
    await server?.close();
    await database?.close();
  });

  /** A GET of the post through the page's fetch, with the browser's default cache mode. */
  function readTitle(): Promise<string> {
    return page.evaluate(
      async ({ url, id }) => {
        const search = new URLSearchParams({ query: 'query Post($id: ID!) { post(id: $id) { id title } }', variables: JSON.stringify({ id }) });
        // Apollo's CSRF prevention wants a header a simple cross-site request cannot carry.
        const response = await fetch(`${url}?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
        const body = await response.json();
        return body.data.post.title as string;
      },
      { url: server.url, id: postId },
    );
  }

  function updateTitle(title: string): Promise<unknown> {
    return page.evaluate(
      async ({ url, id, title, token }) => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({
            query: 'mutation Rename($id: ID!, $title: String!) { updatePost(input: { id: $id, title: $title }) { post { title } } }',
            variables: { id, title },
          }),
        });
        return response.json();
      },
      { url: server.url, id: postId, title, token },
    );
  }

  it('revalidates a repeated GET with the ETag it kept, and sees the next write', async () => {
    // What Chromium sent and got for each read (a 304 reaches the page as the kept 200).
    const exchanges: { ifNoneMatch?: string; etag?: string }[] = [];
    const record = async (response: Response) => {
      if (!response.url().includes('query=')) return;
      const sent = await response.request().allHeaders();
      exchanges.push({ ifNoneMatch: sent['if-none-match'], etag: (await response.allHeaders()).etag });
    };
    page.on('response', record);
    try {
      const title = await readTitle();
      expect(await readTitle()).toBe(title);
      await updateTitle('Renamed once more');
      expect(await readTitle()).toBe('Renamed once more');
      await expect.poll(() => exchanges.length).toBe(3);
    } finally {
      page.off('response', record);
    }
    const [first, second, third] = exchanges;
    expect(first!.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(second!.ifNoneMatch).toBe(first!.etag);
    expect(second!.etag).toBe(first!.etag);
    expect(third!.ifNoneMatch).toBe(first!.etag);
    expect(third!.etag).not.toBe(first!.etag);
  });

  it('shows the new title on a GET right after updatePost', async () => {
    expect(await readTitle()).not.toBe('Renamed in the browser');
    const written = await updateTitle('Renamed in the browser');
    expect(written).toMatchObject({ data: { updatePost: { post: { title: 'Renamed in the browser' } } } });
    expect(await readTitle()).toBe('Renamed in the browser');
  });
});
