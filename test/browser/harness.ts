import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { AccountService } from '../../src/auth/account.service.js';
import type { Role } from '../../src/auth/auth-user.js';
import { DEMO_PROBLEMS } from '../../src/demo/demo-problems.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { launch, OUTPUT, type Browser } from './browser.js';

/**
 * The browser tests' harness: the service as `npm start` runs it (the processes of processes/ deployed, the
 * demo loaded as of now, the pages built), a headless Chromium, sign-in through the sign-in page, and the
 * checks every page must pass: no console error, no visible English outside codes and names, a screenshot.
 * The tests act through the pages only; the harness itself only makes the accounts people sign in with.
 */
export const PAGES_OUTPUT = path.join(OUTPUT, 'pages');

export interface Harness {
  t: TestApp;
  b: Browser;
  page: Page;
  /** A fresh browser at this size (a phone: 390 × 844, touch, the menu collapsed); `page` and `b` follow. */
  useViewport(viewport: { width: number; height: number }): Promise<void>;
  base: string;
  /** Signs in through /login as an account of this role (a unit's account belongs to the unit's person). */
  signIn(role: Role, unitCode?: string): Promise<void>;
  signOut(): Promise<void>;
  /** Opens a page of the site and waits for the app to draw it. */
  open(pathname: string): Promise<void>;
  /** Screenshot into test/output/pages/<name>.png, after the page's own checks (no English, no error). */
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Latin words a person may see: codes (HBJ, PM2.5, TM2017-01), file names, units of measure. */
const ALLOWED = new Set([
  'PM',
  'PM10',
  'PM2',
  'AQI',
  'COD',
  'BPMN',
  'Excel',
  'Word',
  'PDF',
  'JPEG',
  'PNG',
  'ID',
  'docx',
  'xlsx',
  'pdf',
  'png',
  'jpg',
  'μg',
  'mg',
  'km',
  'm³',
  'kg',
  't',
  'h',
]);

/** The English words visible on the page (text, buttons, tags), or [] when there are none. */
export async function englishWords(page: Page): Promise<string[]> {
  // A generated password or other machine text is marked `data-verbatim`: it is not language, whatever it spells.
  const text: string = await page.evaluate(() => {
    type El = { innerText: string };
    const doc = (globalThis as unknown as { document: { body: El; querySelectorAll(s: string): Iterable<El> } })
      .document;
    let all = doc.body.innerText;
    for (const el of doc.querySelectorAll('[data-verbatim]')) if (el.innerText) all = all.split(el.innerText).join(' ');
    return all;
  });
  const found = new Set<string>();
  // Units of measure are written as they are (μg/m³, mg/L).
  const plain = text.replace(/[μm]g\/(m³|L)/g, ' ');
  for (const m of plain.matchAll(/[A-Za-z][A-Za-z0-9_.@/-]*/g)) {
    const w = m[0].replace(/[._/-]+$/, '');
    if (!w || ALLOWED.has(w)) continue;
    if (/\d/.test(w)) continue; // a code: TM2017-01, PM10, 2026-12-02T…
    if (/^[A-Z][A-Z0-9_-]*$/.test(w)) continue; // a unit or indicator code: HBJ, GOOD_DAYS
    if (/^t-(admin|office|leader|inspector|unit)/.test(w)) continue; // a test account's user name
    if (/\.(png|jpe?g|pdf|docx?|xlsx?|txt|zip)$/i.test(w) || w.includes('@')) continue; // a file name, an address
    found.add(w);
  }
  return [...found];
}

export async function expectNoEnglish(page: Page): Promise<void> {
  const words = await englishWords(page);
  expect([page.url(), words]).toEqual([page.url(), []]);
}

/** Waits until the app has drawn its page: Vue mounted and no loading mask left. */
/**
 * Picks the option of an el-select (the select inside `selector`) by its visible text, and waits for its list to
 * close: a list still open (a slow fade, a filterable select keeping its focus) would take the next click.
 */
export async function choose(page: Page, selector: string, text: string): Promise<void> {
  await page.click(`${selector} .el-select__wrapper`);
  const list = page.locator('.el-select-dropdown:visible').last();
  await list.locator('.el-select-dropdown__item', { hasText: text }).first().click();
  const closed = await list
    .waitFor({ state: 'hidden', timeout: 2_000 })
    .then(() => true)
    .catch(() => false);
  if (!closed) {
    // Focus leaving the select closes its list.
    await page.keyboard.press('Tab');
    await list.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

export async function settled(page: Page): Promise<void> {
  await page.waitForSelector('#app > *');
  await page.waitForFunction(
    () =>
      !(globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
        '.el-loading-mask:not([style*="display: none"])',
      ),
    undefined,
    { timeout: 30_000 },
  );
}

export async function startHarness(
  opts: { viewport?: { width: number; height: number }; tokenTtlS?: number } = {},
): Promise<Harness> {
  const t = await startTestApp({
    DUBAN_PROCESSES_DIR: path.resolve('processes'),
    DUBAN_DEMO: 'true',
    DUBAN_TOKEN_TTL_S: String(opts.tokenTtlS ?? 3600),
  });
  // The demo loads itself after start-up (as on `npm start`): its problems, their processes walked to where the
  // plan's history has them, then the month's report requests (its last step). Wait for all of it.
  for (let i = 0; i < 600; i++) {
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM problem`);
    const [{ asked }] = await t.db.query(
      `SELECT count(*)::int AS asked FROM engine_task WHERE activity_id = 'monthlyReport'`,
    );
    if (n >= DEMO_PROBLEMS.length && asked > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  let b = await launch(opts.viewport);
  let page = b.page;
  mkdirSync(PAGES_OUTPUT, { recursive: true });
  const accounts = new Map<string, { username: string; password: string }>();

  async function account(role: Role, unitCode?: string): Promise<{ username: string; password: string }> {
    const key = `${role}:${unitCode ?? ''}`;
    const known = accounts.get(key);
    if (known) return known;
    const [person] = unitCode
      ? await t.db.query(`SELECT id FROM org_person WHERE unit_code = $1 ORDER BY name LIMIT 1`, [unitCode])
      : [];
    const username = `t-${role}${unitCode ? `-${unitCode.toLowerCase()}` : ''}`;
    const password = `Pw-${role}-${Math.random().toString(36).slice(2, 12)}`;
    await t.app
      .get(AccountService)
      .create(
        { username, password, role, unitCode, personId: person?.id },
        { actor: 'system', actorName: 'browser test' },
      );
    const a = { username, password };
    accounts.set(key, a);
    return a;
  }

  const h: Harness = {
    t,
    b,
    page,
    base,
    async useViewport(viewport) {
      await b.close();
      b = await launch(viewport);
      page = b.page;
      h.b = b;
      h.page = page;
    },
    async signIn(role, unitCode) {
      const { username, password } = await account(role, unitCode);
      await page.goto(`${base}/login`);
      await page.fill('#username', username);
      await page.fill('#password', password);
      await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
      await settled(page);
    },
    async signOut() {
      await page.click('#sign-out');
      await page.waitForURL(/\/login/);
    },
    async open(pathname) {
      await page.goto(`${base}${pathname}`);
      await settled(page);
    },
    async shot(name) {
      await expectNoEnglish(page);
      expect(b.errors).toEqual([]);
      // From the top: a full-page capture of a scrolled page draws the sticky top bar where it stood.
      await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
      return page
        .screenshot({ path: path.join(PAGES_OUTPUT, `${name}.png`), fullPage: true })
        .then(() => path.join(PAGES_OUTPUT, `${name}.png`));
    },
    async close() {
      await b?.close();
      await t?.close();
    },
  };
  return h;
}
