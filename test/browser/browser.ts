import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const OUTPUT = path.resolve('test/output');
export const CHROMIUM = process.env.DUBAN_CHROMIUM ?? '/usr/bin/chromium';

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, with the page they came from. */
  errors: string[];
  /** Network failures the browser logged as console errors, kept apart: the tests expect some (a 422). */
  failedRequests: { status: number; url: string }[];
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Debian's chromium through playwright-core, headless, with a fresh profile. */
export async function launch(
  viewport: { width: number; height: number } = { width: 1440, height: 900 },
): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'duban-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    isMobile: viewport.width < 768,
    hasTouch: viewport.width < 768,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=zh-CN',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  const failedRequests: { status: number; url: string }[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(msg.text());
    if (status) failedRequests.push({ status: Number(status[1]), url: msg.location().url });
    else errors.push(`${page.url()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`${page.url()}: uncaught ${err.message}`));
  mkdirSync(OUTPUT, { recursive: true });
  return {
    context,
    page,
    errors,
    failedRequests,
    shot: async (name) => {
      const file = path.join(OUTPUT, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
