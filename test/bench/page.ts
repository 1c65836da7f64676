// report.html on the bench corpus: its size and how long headless Chromium takes to load and lay it out.
// The targets: under 1 MB and under 2 s at 1M records.
import { statSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';
import { hasChromium, launch, openFile } from '../support/browser.js';

export const PAGE_LIMITS = { bytes: 1_000_000, renderMs: 2_000 };

export interface PageMeasure {
  bytes: number;
  /** Undefined when no Chromium is installed. */
  renderMs?: number;
  /** Chromium's main-thread task time for the page: unlike wall time, it barely moves with other load. */
  taskMs?: number;
}

export async function measurePage(path: string): Promise<PageMeasure> {
  const bytes = statSync(path).size;
  if (!hasChromium) return { bytes };
  const browser = await launch();
  try {
    let cdp: CDPSession | undefined;
    const { page, loadMs, requests } = await openFile(browser, path, async (p) => {
      cdp = await p.context().newCDPSession(p);
      await cdp.send('Performance.enable');
    });
    if (requests.length !== 1) throw new Error(`report.html made ${requests.length - 1} request(s) besides itself`);
    // Force a full layout so the time includes rendering, not only parsing.
    const t0 = performance.now();
    await page.evaluate(() => document.body.getBoundingClientRect().height);
    const renderMs = loadMs + (performance.now() - t0);
    const task = cdp && (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value;
    return { bytes, renderMs, ...(task !== undefined ? { taskMs: task * 1000 } : {}) };
  } finally {
    await browser.close();
  }
}

export function formatPage(m: PageMeasure): string {
  const size = `report.html of (b): ${(m.bytes / 1024).toFixed(0)} KB (target < ${PAGE_LIMITS.bytes / 1e6} MB: ${m.bytes < PAGE_LIMITS.bytes ? 'met' : 'NOT met'})`;
  const task = m.taskMs === undefined ? '' : `, ${m.taskMs.toFixed(0)} ms of it Chromium's main-thread work`;
  const time = m.renderMs === undefined ? 'not rendered (no Chromium)' : `loads and lays out in headless Chromium in ${m.renderMs.toFixed(0)} ms${task} (target < ${PAGE_LIMITS.renderMs} ms: ${m.renderMs < PAGE_LIMITS.renderMs ? 'met' : 'NOT met'})`;
  return `\n${size}; ${time}.\n`;
}
