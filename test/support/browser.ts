// Headless Chromium for page tests: Debian's package (`apt-get install -y chromium`; .ci/run installs it),
// driven by playwright-core. Every request the page makes is recorded, and nothing but the page's own
// file:// URL is let through.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const chromiumMissing = `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); skipping browser tests`;

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OpenedPage {
  page: Page;
  /** Every URL the page asked for, the page itself included. */
  requests: string[];
  /** Milliseconds from navigation to the load event. */
  loadMs: number;
}

/** Opens a local file; `before` runs on the new page before navigation (e.g. to start measuring). */
export async function openFile(browser: Browser, path: string, before?: (page: Page) => Promise<void>): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await before?.(page);
  const requests: string[] = [];
  const url = `file://${path}`;
  page.on('request', (r) => requests.push(r.url()));
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, loadMs: performance.now() - t0 };
}
