import type { Page } from 'playwright-core';
import { problemRow, problemSheet } from '../support/xlsx.js';
import { choose as pick, settled, startHarness, type Harness } from './harness.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The supervision office's month, through the pages only (the demo loaded as on `npm start`): it adds next
 * year to the working-day calendar and enters a problem due in it by hand, adds a unit (the administrator
 * gives it a login, with which the unit signs in), publishes the month's bulletin and downloads a 督办单.
 * Every office page is opened and photographed; none shows an English word or logs an error.
 */
describe('the office pages', () => {
  let h: Harness;
  let page: Page;
  let nextYear = new Date().getFullYear() + 1;

  beforeAll(async () => {
    h = await startHarness();
    page = h.page;
    await h.signIn('office');
  }, 300_000);

  afterAll(async () => {
    await h?.close();
  });

  const choose = (selector: string, text: string) => pick(page, selector, text);

  async function typeDate(selector: string, date: string): Promise<void> {
    const input = page.locator(`${selector} input`).first();
    await input.fill(date);
    await input.press('Enter');
  }

  async function success(text: string | RegExp): Promise<void> {
    await page.locator('.el-message--success', { hasText: text }).first().waitFor();
  }

  it('adds next year to the working-day calendar, and it is listed as published by the office', async () => {
    expect(new URL(page.url()).pathname).toBe('/office/problems');
    await h.open('/office/calendar');
    await page.waitForSelector('.years-table');
    await h.shot('office-calendar');
    const label = (await page.textContent('.add-next-year'))!.trim();
    const year = Number(/\d{4}/.exec(label)![0]);
    await page.click('.add-next-year');
    const editor = page.locator('.year-editor');
    await editor.waitFor();
    const range = editor.locator('.holiday .day-range input');
    await range.nth(0).fill(`${year}-01-01`);
    await range.nth(1).fill(`${year}-01-03`);
    await range.nth(1).press('Enter');
    await editor.locator('.holiday .day-name input').fill('元旦');
    await editor.locator('.holiday .add-day').click();
    await editor.locator('.year-note input').fill(`国务院办公厅关于${year}年部分节假日安排的通知`);
    await h.shot('office-calendar-year');
    await editor.locator('.publish-year').click();
    await success(`已发布${year}年工作日历`);
    const row = page.locator('.years-table .el-table__row', { hasText: String(year) });
    await row.waitFor();
    expect(await row.textContent()).toContain('督办办公室发布');
    nextYear = year;
  });

  it('enters a problem due next year by hand: a missing field is said by the field, then it is saved and listed', async () => {
    await h.open('/office/problems');
    await page.waitForSelector('.problems-table');
    await h.shot('office-problems');

    await page.click('.create-problem');
    const dialog = page.locator('.problem-form-dialog');
    await dialog.waitFor();
    await dialog.locator('.save').click();
    await dialog.locator('.el-form-item__error', { hasText: '请填写问题编号' }).waitFor();
    await h.shot('office-problem-form');

    await dialog.locator('input[name="code"]').fill('TM2026-90');
    await dialog.locator('input[name="title"]').fill('城区主干道夜间渣土车抛洒滴漏');
    await dialog.locator('textarea[name="description"]').fill('群众反映夜间渣土车未密闭运输，道路扬尘严重。');
    await choose('.problem-form-dialog .el-form-item:has(input[name="category"])', '大气');
    await choose('.problem-form-dialog .lead-unit', '市环保局');
    const person = dialog.locator('.person input');
    await person.fill('王五');
    await person.press('Enter');
    await typeDate('.problem-form-dialog .deadline', `${nextYear}-06-30`);
    await dialog.locator('.save').click();
    // Saved (the message), or refused by the service (its own words are the failure), or held by the form.
    const refusal = dialog.locator('.el-alert--error');
    const refused = await Promise.race([
      success('TM2026-90').then(() => null),
      refusal.waitFor().then(async () => `${await refusal.textContent()}`),
      new Promise((r) => setTimeout(r, 20_000)).then(
        async () => `${await dialog.locator('.el-form-item__error').allTextContents()}`,
      ),
    ]);
    expect(refused).toBeNull();
    await page.fill('.filter-q input', 'TM2026-90');
    await page.press('.filter-q input', 'Enter');
    await page.locator('.problems-table', { hasText: '城区主干道夜间渣土车抛洒滴漏' }).waitFor();
    expect(await page.textContent('.problems-table')).toContain('市环保局');

    // 调整交办: the responsible person changes; the units stay as assigned, shown and not editable.
    await page.locator('.problems-table .el-button', { hasText: '调整交办' }).first().click();
    await dialog.waitFor();
    await dialog.locator('.units-fixed').waitFor();
    await page.waitForTimeout(500); // the dialog's fade-in, for the screenshot
    await h.shot('office-problem-assign');
    const next = dialog.locator('.person input');
    await next.fill('赵六');
    await next.press('Enter');
    await dialog.locator('.save').click();
    await success('已保存');
    await page.locator('.problems-table', { hasText: '赵六' }).waitFor();
  });

  it('imports a list with a bad row: nothing is imported and every bad cell is listed by row and column', async () => {
    await h.open('/office/problems');
    await page.click('.open-import');
    const dialog = page.locator('.import-dialog');
    await dialog.waitFor();
    const sheet = await problemSheet([
      problemRow(1, { 编号: 'TM2026-91', 整改时限: new Date(Date.UTC(nextYear, 5, 30)) }),
      problemRow(2, { 编号: 'TM2026-92', 牵头单位: '市不存在局', 整改时限: new Date(Date.UTC(nextYear, 5, 30)) }),
    ]);
    await dialog
      .locator('.import-upload input[type="file"]')
      .setInputFiles({ name: '问题清单.xlsx', mimeType: XLSX, buffer: sheet });
    await dialog.locator('.import-source input').fill('专项督察反馈意见');
    await dialog.locator('.import-submit').click();
    await dialog.locator('.import-errors .el-table__row').first().waitFor();
    const errors = await dialog.locator('.import-errors').textContent();
    expect(errors).toContain('牵头单位');
    expect(errors).toContain('3');
    expect(await dialog.textContent()).toContain('未导入任何问题');
    await h.shot('office-import-errors');
  });

  it('adds a unit with its handler; the administrator gives it a login, and the unit signs in with it', async () => {
    await h.open('/admin/units');
    await page.waitForSelector('.units-table');
    await h.shot('office-units');
    await page.click('.add-unit');
    const dialog = page.locator('.unit-dialog');
    await dialog.waitFor();
    await dialog.locator('.unit-name input').fill('市自然资源和规划局');
    await dialog.locator('.unit-code input').fill('ZRZYJ');
    await dialog.locator('.person-name input').fill('赵六');
    await dialog.locator('.save-unit').click();
    await page.locator('.unit-created', { hasText: '市自然资源和规划局' }).waitFor();
    await page.locator('.unit-created .el-button--primary').click();
    await page.locator('.units-table', { hasText: '市自然资源和规划局' }).waitFor();

    await h.signOut();
    await h.signIn('admin');
    await h.open('/admin/accounts');
    await page.click('.add-account');
    const form = page.locator('.account-dialog');
    await form.waitFor();
    await form.locator('.account-username input').fill('zrzy2026');
    const password = await form.locator('.account-password input').inputValue();
    await choose('.account-dialog .account-unit', '市自然资源和规划局');
    await choose('.account-dialog .account-person', '赵六');
    await form.locator('.save-account').click();
    await page.locator('.password-dialog', { hasText: 'zrzy2026' }).waitFor();
    await page.locator('.password-dialog .el-button--primary').click();
    await h.signOut();

    try {
      await page.goto(`${h.base}/login`);
      await page.fill('#username', 'zrzy2026');
      await page.fill('#password', password);
      await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
      await settled(page);
      expect(new URL(page.url()).pathname).toBe('/unit/inbox');
      expect(await page.textContent('body')).toContain('赵六');
    } finally {
      await h.signOut();
      await h.signIn('office');
    }
  });

  it("publishes the month's bulletin and downloads it", async () => {
    await h.open('/office/bulletins');
    await page.waitForSelector('.bulletin-units');
    await h.shot('office-bulletins');
    if (await page.locator('.publish').isEnabled()) {
      await page.click('.publish');
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await success('已发布');
    }
    await page.locator('.state.el-alert--success', { hasText: '已发布' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.download-docx')]);
    expect(download.suggestedFilename()).toMatch(/通报.*\.docx$/);
    expect(await page.textContent('.published-table')).toContain(await page.textContent('.number'));
  });

  it('downloads the document of a supervision action (督办单, 通报, 约谈, 督察 or 问责)', async () => {
    await h.open('/office/supervision');
    await page.waitForSelector('.actions-table');
    // The ladder issues the demo's documents as its timers fire after start-up; the demo's problems are years past
    // their deadlines, so each gets one document at the highest rung it has reached (no avalanche), rarely a 督办单.
    // The clerk looks again until one is there.
    for (let i = 0; i < 40 && !(await page.locator('.actions-table .el-table__row').count()); i++) {
      await page.waitForTimeout(3000);
      await page.click('.office-actions .filters button[type="submit"]');
      await settled(page);
    }
    await page.locator('.actions-table .el-table__row').first().waitFor();
    await h.shot('office-supervision');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.actions-table .download-docx').first().click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    await page.locator('.actions-table .show-action').first().click();
    await page.locator('.action-detail .el-descriptions').waitFor();
    await h.shot('office-supervision-detail');
  });

  it('opens every other office page without an error or an English word', async () => {
    const pages: [string, string, string][] = [
      ['/office/ledger', '.ledger-table', 'office-ledger'],
      ['/office/reviews', '.tasks-table', 'office-reviews'],
      ['/office/sign-off', '.tasks-table', 'office-sign-off'],
      ['/office/interviews', '.actions-table', 'office-interviews'],
      ['/office/inspections', '.actions-table', 'office-inspections'],
      ['/office/accountability', '.actions-table', 'office-accountability'],
      ['/office/indicators', '.indicators-table', 'office-indicators'],
      ['/office/settings', '.settings-form', 'office-settings'],
      ['/office/assessment', '.assessment-table', 'office-assessment'],
      ['/office/channels', '.channels-table', 'office-channels'],
      ['/office/incidents', '.incidents-table', 'office-incidents'],
      ['/admin/persons', '.persons-table', 'office-persons'],
    ];
    for (const [path, selector, name] of pages) {
      await h.open(path);
      await page.waitForSelector(selector);
      await h.shot(name);
    }
  });
});
