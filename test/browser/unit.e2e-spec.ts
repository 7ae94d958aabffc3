import { startHarness, type Harness } from './harness.js';

/**
 * A unit's clerk (市环保局) does the month's work on the pages only, on a desk and on a phone: the inbox with
 * its lights explained, the monthly progress report (one row per problem: text, percentage, evidence), a
 * step's own form (a missing field said by the field, then right), its problems, a problem's page with the
 * trail of what was submitted, the messages. Every page: no console error, no English, a screenshot.
 */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const SUMMARY = '已完成六个乡镇水源地保护区划定，拆除违建两处，设立界标和警示牌';

describe('the unit on the pages', () => {
  let h: Harness;

  beforeAll(async () => {
    // Sign-ins of 150 s: the pages renew them while the clerk works, and warn when one is about to end.
    h = await startHarness({ tokenTtlS: 150 });
  }, 300_000);
  afterAll(() => h?.close());

  it('signs in to its inbox: tasks with lights and their meaning, filters, 待办 / 已办 / 抄送', async () => {
    const { page } = h;
    await page.goto(`${h.base}/unit/inbox`);
    await page.waitForURL(/\/login\?next=/);
    await page.waitForSelector('#login-form');
    await h.shot('unit-login');
    await h.signIn('unit', 'HBJ');
    expect(new URL(page.url()).pathname).toBe('/unit/inbox');
    await page.waitForSelector('#inbox-table');
    const text = (await page.textContent('#inbox-list')) ?? '';
    expect(text).toContain('报送月度整改进展');
    expect(text).toContain('TM2017-09');
    expect(await page.textContent('.light-legend')).toContain('已超期');
    expect(await page.textContent('#who')).toContain('陈志刚');
    expect(await page.textContent('.side-menu')).toContain('我的待办');
    await h.shot('unit-inbox');
    await page.click('#tab-cc');
    await page.waitForSelector('#inbox-list :is(.el-table, .el-empty)');
    await h.shot('unit-inbox-cc');
    await page.click('#tab-done');
    await page.waitForSelector('#inbox-list :is(.el-table, .el-empty)');
    await page.click('#tab-todo');
    await page.waitForSelector('#inbox-table');
  });

  it('works on a phone (390 px): menu in a drawer, cards instead of tables, no horizontal scrolling', async () => {
    await h.useViewport({ width: 390, height: 844 });
    const { page } = h;
    await h.signIn('unit', 'HBJ');
    await page.waitForSelector('#inbox-list .task-card');
    expect(await page.locator('.aside').count()).toBe(0);
    const noScroll = () =>
      page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth <= (globalThis as any).innerWidth);
    expect(await noScroll()).toBe(true);
    await h.shot('unit-phone-inbox');
    await page.click('#menu-toggle');
    await page.waitForSelector('.menu-drawer .side-menu');
    await h.shot('unit-phone-menu');
    await page.click('.menu-drawer >> text=本单位问题');
    await page.waitForSelector('#unit-problems .task-card');
    expect(await noScroll()).toBe(true);
    await h.shot('unit-phone-problems');
    await page.click('#unit-problems .task-card[data-code="TM2017-09"]');
    await page.waitForSelector('#facts');
    await page.waitForSelector('#diagram [data-ready="true"]');
    expect(await noScroll()).toBe(true);
    await h.shot('unit-phone-problem');
    await page.click('#menu-toggle');
    await page.click('.menu-drawer >> text=我的待办');
    await page.click('#inbox-list .task-card:has-text("TM2017-09")');
    await page.waitForSelector('#task-form');
    expect(await noScroll()).toBe(true);
    await h.shot('unit-phone-task');
    await page.goBack();
    await page.click('#inbox-list .task-card:has-text("报送月度整改进展")');
    await page.waitForSelector('#monthly-report .report-row');
    expect(await noScroll()).toBe(true);
    await h.shot('unit-phone-monthly-report');
    await h.signOut();
    // Back to the desk for the rest of the month's work.
    await h.useViewport({ width: 1440, height: 900 });
    await h.signIn('unit', 'HBJ');
    await h.page.waitForSelector('#inbox-table');
  });

  it('files the monthly report: a row per problem, an empty one refused by its row, evidence, then sent', async () => {
    const { page } = h;
    await page.click('#inbox-table tr:has-text("报送月度整改进展") button');
    await page.waitForSelector('#monthly-report .report-row');
    const rows = await page.locator('#monthly-report .report-row').count();
    expect(rows).toBeGreaterThan(0);
    await page.click('#report-submit');
    await page.waitForSelector('#report-general-error');
    expect(await page.locator('.report-row').first().locator('.el-form-item__error').first().textContent()).toContain(
      '请填写本月进展',
    );
    await page
      .locator('.report-row')
      .first()
      .locator('input[type=file]')
      .setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    await page.waitForSelector('.report-row li[data-file="现场照片.png"]');
    for (let i = 0; i < rows; i++) {
      await page.fill(`#report-${i}-text`, `第 ${i + 1} 项：本月完成现场整治，建立长效监管台账`);
      const percent = page.locator('.report-row').nth(i).locator('.el-slider__input input');
      await percent.fill('60');
      await percent.press('Tab');
    }
    await h.shot('unit-monthly-report');
    await Promise.all([page.waitForURL(/\/unit\/inbox$/), page.click('#report-submit')]);
    expect(await page.textContent('.el-message--success')).toContain('月度整改进展');
    await page.waitForSelector('#inbox-table');
    expect(await page.textContent('#inbox-list')).not.toContain('报送月度整改进展');
  });

  it('works a step with its own form: a missing field said under it, then done; the trail shows what was sent', async () => {
    const { page } = h;
    await page.click('#inbox-table tr:has-text("TM2017-09") button');
    await page.waitForSelector('#task-form');
    expect(await page.textContent('#task-title')).toContain('整改落实');
    // Only one way to sign for a task: its form's button (no separate claim button).
    expect(await page.locator('button:has-text("签收")').count()).toBe(0);
    await page.click('#task-submit');
    await page.waitForSelector('[data-field="summary"] .el-form-item__error');
    expect(await page.textContent('[data-field="summary"] .el-form-item__error')).toContain('请填写整改情况');
    await page.fill('#f-summary', SUMMARY);
    // A half-filled form is kept: the page opened again shows it as it was left.
    await page.waitForSelector('text=草稿已自动保存');
    await page.reload();
    await page.waitForSelector('#task-form');
    await page.waitForSelector('text=已恢复上次未提交的草稿');
    expect(await page.inputValue('#f-summary')).toBe(SUMMARY);
    await page.fill('#f-percent', '80');
    await page.press('#f-percent', 'Tab');
    await page.waitForSelector('#evidence');
    await page.waitForSelector('#extension-form', { state: 'attached' });
    await h.shot('unit-task');
    await Promise.all([page.waitForURL(/\/unit\/inbox$/), page.click('#task-submit')]);
    await page.waitForSelector('.el-message--success:has-text("TM2017-09")');
    // 已办: the step just done, with what was sent and who sent it.
    await page.click('#tab-done');
    await page.waitForSelector('#inbox-table tr:has-text("TM2017-09")');
    const done = (await page.textContent('#inbox-list')) ?? '';
    expect(done).toContain(SUMMARY);
    expect(done).toContain('陈志刚');
    await h.shot('unit-inbox-done');
    await page.click('#tab-todo');

    await page.click('.side-menu >> text=本单位问题');
    await page.waitForSelector('#problems-table');
    await h.shot('unit-problems');
    await page.click('#problems-table tr:has-text("TM2017-09")');
    await page.waitForURL(/\/problems\//);
    await page.waitForSelector('#diagram [data-ready="true"]');
    await page.waitForSelector('#trail-list');
    const trail = (await page.textContent('#trail')) ?? '';
    expect(trail).toContain('整改落实');
    expect(trail).toContain(SUMMARY);
    expect(trail).toContain('陈志刚');
    expect(await page.locator('#diagram .djs-element.done').count()).toBeGreaterThan(0);
    await h.shot('unit-problem');
  });

  it('reads its messages from the bell and the message list', async () => {
    const { page } = h;
    await page.click('#message-bell button');
    await page.waitForSelector('.bell-head');
    await page.click('text=查看全部消息');
    await page.waitForURL(/\/messages$/);
    await page.waitForSelector('#messages :is(.message, .el-empty)');
    await h.shot('unit-messages');
  });

  it('keeps the clerk signed in while working, and warns before the sign-in ends', async () => {
    const { page } = h;
    const token = () =>
      page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('duban.session')).token as string);
    const first = await token();
    // Working (typing, the page's own calls): the sign-in is renewed (POST /api/auth/refresh) without a word.
    await page.click('.side-menu >> text=我的待办');
    await page.fill('#filter-problem', 'TM');
    await page.waitForFunction(
      (t) => JSON.parse((globalThis as any).sessionStorage.getItem('duban.session')).token !== t,
      first,
      { timeout: 60_000 },
    );
    // Idle: two minutes before the end, a warning; clicking it renews the sign-in.
    await page.waitForSelector('.el-notification:has-text("登录即将失效")', { timeout: 90_000 });
    await h.shot('unit-session-warning');
    const before = await token();
    await page.click('.el-notification:has-text("登录即将失效")');
    await page.waitForSelector('.el-notification:has-text("已续期")');
    expect(await token()).not.toBe(before);
  });
});
