import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { launchChromium } from './launch-chromium.ts';

// The explorer in a real browser: Debian's Chromium driven by playwright-core, one launch per file.

const SCREENSHOT_DIR = 'test-results';
const launched = await launchChromium();
if (launched.reason) console.warn(`SKIPPING the explorer browser tests: ${launched.reason}`);

describe.skipIf(!launched.browser)('explorer in Chromium', () => {
  let database: TestDatabase;
  let server: TestServer;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database);
    page = await launched.browser!.newPage({ viewport: { width: 1400, height: 860 } });
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('response', (response) => {
      if (response.status() >= 400) consoleErrors.push(`HTTP ${response.status()} for ${response.url()}`);
    });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.goto(server.url); // .../graphql: a browser navigation asks for text/html
    await page.getByTestId('trace-panel').waitFor();
  });

  afterAll(async () => {
    await launched.browser?.close();
    await server?.close();
    await database?.close();
  });

  it('opens with the example operations as tabs', async () => {
    await expect.poll(() => page.locator('.graphiql-tab').count()).toBe(5);
  });

  it('shows 1 statement and no N+1 warning for the N+1 example when batched', async () => {
    await page.locator('.graphiql-execute-button').click();
    const configured = page.getByTestId('trace-configured');
    await configured.getByTestId('sql-count').waitFor();
    expect(await configured.getByTestId('sql-count').textContent()).toBe('1 statement');
    expect(await configured.getByTestId('no-n-plus-one').isVisible()).toBe(true);
    expect(await configured.getByTestId('statement').count()).toBe(1);
  });

  it('re-runs it with batching off beside it: 41 statements and N+1 warnings on author and tags', async () => {
    await page.getByTestId('batching-off').check();
    const naive = page.getByTestId('trace-naive');
    await naive.getByTestId('sql-count').waitFor();
    expect(await naive.getByTestId('sql-count').textContent()).toBe('41 statements');
    const warnings = await naive.getByTestId('n-plus-one').locator('li').allTextContents();
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toMatch(/author.*20 similar statements/);
    expect(warnings.join('\n')).toMatch(/tags.*20 similar statements/);
    // The batched column is still there, unchanged: before and after side by side.
    expect(await page.getByTestId('trace-configured').getByTestId('sql-count').textContent()).toBe('1 statement');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/explorer-n-plus-one.png` });
    await page.getByTestId('trace-panel').screenshot({ path: `${SCREENSHOT_DIR}/explorer-trace-panel.png` });
  });

  it('loaded everything from the server itself and logged no console error', () => {
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(foreign).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
  });
});
