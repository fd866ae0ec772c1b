import { mkdirSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { launchChromium } from './launch-chromium.ts';

// The explorer on a laptop screen (1280×800), against a development server and a production one.
// Screenshots land in test-results/ to be looked at, not compared.

const SCREENSHOT_DIR = 'test-results';
const LAPTOP = { width: 1280, height: 800 };
const launched = await launchChromium();
if (launched.reason) console.warn(`SKIPPING the explorer laptop tests: ${launched.reason}`);

async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await locator.boundingBox();
  if (!found) throw new Error(`${locator} is not rendered`);
  return found;
}

async function openExplorer(url: string): Promise<Page> {
  const page = await launched.browser!.newPage({ viewport: LAPTOP });
  await page.goto(url);
  await page.getByTestId('trace-panel').waitFor();
  return page;
}

describe.skipIf(!launched.browser)('explorer at 1280×800', () => {
  let database: TestDatabase;
  let development: TestServer;
  let production: TestServer;

  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    database = await createTestDatabase();
    development = await startTestServer(database);
    production = await startTestServer(database, { nodeEnv: 'production', limits: { introspection: false }, trace: { debugToken: 'a-debug-token' } });
  });

  afterAll(async () => {
    await launched.browser?.close();
    await development?.close();
    await production?.close();
    await database?.close();
  });

  it('shows every example tab whole, and an editor, results and Trace panel large enough to use', async () => {
    const page = await openExplorer(development.url);
    await page.locator('.graphiql-execute-button').click();
    await page.getByTestId('trace-configured').getByTestId('sql-count').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/explorer-1280x800.png` });

    // Tabs sit in a strip that scrolls sideways when they do not fit: a tab counts as shown when
    // it lies inside the strip's visible box, which lies inside the viewport.
    const strip = await box(page.locator('.graphiql-tabs'));
    expect(strip.x >= 0 && strip.x + strip.width <= LAPTOP.width + 0.5 && strip.y >= 0, 'the tab strip is on screen').toBe(true);
    const tabs = page.locator('.graphiql-tab');
    expect(await tabs.count()).toBeGreaterThanOrEqual(5);
    for (const tab of await tabs.all()) {
      const label = (await tab.locator('.graphiql-tab-button').textContent()) ?? '';
      const { x, y, width, height } = await box(tab);
      const shown = x >= strip.x - 0.5 && x + width <= strip.x + strip.width + 0.5 && y >= 0 && y + height <= LAPTOP.height;
      // A label cut short (text-overflow: ellipsis) scrolls wider than it shows.
      const clipped = await tab.evaluate((element) =>
        [element, ...element.querySelectorAll('*')].some((node) => node.scrollWidth > node.clientWidth + 1 && getComputedStyle(node).overflow !== 'visible'),
      );
      expect({ label, shown, clipped }).toEqual({ label, shown: true, clipped: false });
    }

    for (const [name, locator, minWidth, minHeight] of [
      ['editor', page.locator('.graphiql-query-editor'), 300, 250],
      ['results', page.locator('.graphiql-response'), 300, 250],
      ['trace panel', page.getByTestId('trace-panel'), 300, 250],
    ] as const) {
      const { x, width, height } = await box(locator);
      expect({ name, width: width >= minWidth, height: height >= minHeight, inside: x >= 0 && x + width <= LAPTOP.width + 0.5 }).toEqual({
        name,
        width: true,
        height: true,
        inside: true,
      });
    }
    await page.close();
  });

  it('says in production that the trace is hidden and how to unlock it, and why there is no schema', async () => {
    const page = await openExplorer(production.url);
    const schemaMissing = page.getByTestId('schema-missing');
    expect(await schemaMissing.textContent()).toContain('INKQL_INTROSPECTION=on');
    await page.locator('.graphiql-execute-button').click();
    const configured = page.getByTestId('trace-configured');
    await configured.getByTestId('trace-hidden').waitFor();
    const hidden = (await configured.getByTestId('trace-hidden').textContent()) ?? '';
    expect(hidden).toContain('INKQL_DEBUG_TOKEN');
    expect(hidden).toContain('X-Inkql-Debug-Token');
    // The response itself arrived: the operation ran, only its trace is withheld.
    await expect.poll(() => page.locator('.graphiql-response').textContent()).toContain('"posts"');
    expect(await configured.getByTestId('sql-count').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/explorer-1280x800-production.png` });
    const panel = await box(page.getByTestId('trace-panel'));
    expect(panel.width).toBeGreaterThanOrEqual(300);

    // Following the panel's instructions unlocks the trace.
    await page.getByRole('button', { name: 'Headers' }).click();
    await page.locator('.graphiql-editor-tool .monaco-editor:visible').click();
    await page.keyboard.insertText(`{ "X-Inkql-Trace": "1", "X-Inkql-Debug-Token": "${production.config.trace.debugToken}" }`);
    await page.locator('.graphiql-execute-button').click();
    await configured.getByTestId('sql-count').waitFor();
    expect(await configured.getByTestId('sql-count').textContent()).toBe('1 statement');
    await page.close();
  });

  it('stacks the batched and naive traces when the pane is too narrow for both side by side', async () => {
    const page = await openExplorer(development.url);
    await page.locator('.graphiql-execute-button').click();
    await page.getByTestId('batching-off').check();
    await page.getByTestId('trace-naive').getByTestId('sql-count').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/explorer-1280x800-batching-off.png` });
    const configured = await box(page.getByTestId('trace-configured'));
    const naive = await box(page.getByTestId('trace-naive'));
    expect({ configured: configured.width >= 280, naive: naive.width >= 280 }).toEqual({ configured: true, naive: true });
    await page.close();
  });
});
