import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium): never a browser downloaded by Playwright. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export type Launched = { browser: Browser; reason?: undefined } | { browser?: undefined; reason: string };

/** The browser, or why it cannot run here (the test file then skips, saying so). */
export async function launchChromium(): Promise<Launched> {
  if (!existsSync(CHROMIUM_PATH)) return { reason: `${CHROMIUM_PATH} is missing (apt-get install -y chromium)` };
  try {
    return { browser: await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS }) };
  } catch (error) {
    return { reason: `Chromium at ${CHROMIUM_PATH} did not launch: ${(error as Error).message.split('\n')[0]}` };
  }
}
