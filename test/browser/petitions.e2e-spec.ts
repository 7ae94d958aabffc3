import type { Page } from 'playwright-core';
import { petitionRow, petitionSheet } from '../support/petitions.js';
import { PNG } from '../support/signoff.js';
import { choose as pick, startHarness, type Harness } from './harness.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const BATCH = '网页第1批';

/**
 * 边督边改 through the pages only (the demo loaded as on `npm start`): the office imports a batch from the
 * dialog and enters one complaint by hand; the town (竟陵街道) signs, investigates with a photo and handles it;
 * the office returns it once and accepts it the second time, publishes the batch, and the public page shows it
 * without the complainant; the daily report downloads.
 */
describe('the petition pages', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    page = h.page;
    await h.signIn('office');
  }, 300_000);

  afterAll(async () => {
    await h?.close();
  });

  const choose = (selector: string, text: string) => pick(page, selector, text);

  async function success(text: string | RegExp): Promise<void> {
    await page.locator('.el-message--success', { hasText: text }).first().waitFor();
  }

  /** The unit's open task of this complaint, from its inbox. */
  async function openTask(code: string): Promise<void> {
    await h.open('/unit/inbox');
    await page.waitForSelector('#inbox-table');
    await page.click(`#inbox-table tr:has-text("${code}") button`);
    await page.waitForSelector('#task-form');
  }

  async function submit(): Promise<void> {
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/tasks/')), page.click('#task-submit')]);
  }

  /** The office's review of the complaint, from the batch's page. */
  async function review(code: string, approved: boolean, comment: string): Promise<void> {
    await h.open('/office/petitions');
    await page.click(`.batch-table .batch-link:has-text("${BATCH}")`);
    await page.waitForSelector('.complaint-table');
    await page.click(`.complaint-table tr:has-text("${code}") .review-task`);
    await page.waitForSelector('#task-form');
    await page.click(approved ? '#f-approved-yes' : '#f-approved-no');
    await page.fill('#f-reviewComment', comment);
    await h.shot(approved ? 'petition-review-accept' : 'petition-review-return');
    await submit();
  }

  it('imports a batch from the dialog and follows it until every complaint is assigned', async () => {
    await h.open('/office/petitions');
    await page.click('.open-import');
    const dialog = page.locator('.petition-import');
    await dialog.waitFor();
    const sheet = await petitionSheet([
      petitionRow(901, { 受理编号: 'W0001', 行政区域: '竟陵街道', 责任单位: null }),
      petitionRow(902, { 受理编号: 'W0002', 行政区域: '竟陵街道', 责任单位: null, 污染类型: '噪声污染' }),
    ]);
    await dialog
      .locator('.petition-upload input[type="file"]')
      .setInputFiles({ name: '信访件交办表.xlsx', mimeType: XLSX, buffer: sheet });
    await dialog.locator('.batch-code input').fill(BATCH);
    const closeBy = dialog.locator('.batch-close-by input');
    await closeBy.fill('2099-12-31');
    await closeBy.press('Enter');
    await dialog.locator('.petition-import-submit').click();
    await dialog.locator('.import-ok', { hasText: '2 件信访件已交办' }).waitFor({ timeout: 120_000 });
    await h.shot('petition-import');
    await dialog.locator('.el-dialog__footer button', { hasText: '关闭' }).click();
    await page.locator('.batch-table .el-table__row', { hasText: BATCH }).waitFor();
  });

  it('enters a complaint by hand: a missing field is said by the field, then it is saved and assigned', async () => {
    await page.click(`.batch-table .batch-link:has-text("${BATCH}")`);
    await page.waitForSelector('.complaint-table');
    await page.click('.open-entry');
    const dialog = page.locator('.petition-entry');
    await dialog.waitFor();
    await dialog.locator('.entry-code input').fill('W0003');
    await dialog.locator('.entry-district input').fill('竟陵街道');
    await choose('.petition-entry .entry-type', '大气污染');
    await dialog.locator('.entry-submit').click();
    await dialog.locator('.el-form-item__error', { hasText: '必填' }).first().waitFor();
    await dialog.locator('.entry-summary textarea').fill('某搅拌站夜间施工，粉尘和噪声扰民');
    await dialog.locator('.entry-name input').fill('赵某某');
    await dialog.locator('.entry-phone input').fill('13700009999');
    await h.shot('petition-entry');
    await dialog.locator('.entry-submit').click();
    await success('已录入 W0003');
    await page.locator('.complaint-table', { hasText: 'W0003' }).waitFor();
    await h.shot('petition-batch');
  });

  it('the town signs, investigates with a photo and handles; returned once, then accepted', async () => {
    await h.signOut();
    await h.signIn('unit', 'JLJD');
    await openTask('W0003');
    await submit();
    for (const round of [1, 2]) {
      await openTask('W0003');
      await choose('[data-field="verdict"]', '属实');
      await page.fill(
        '#f-investigation',
        round === 1 ? '现场核查属实，夜间施工未办理许可' : '补充核查：已查清施工单位',
      );
      if (round === 1) {
        await page
          .locator('[data-field="evidenceFileIds"] .uploader input[type="file"]')
          .setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
        await page.locator('[data-field="evidenceFileIds"] [data-file="现场照片.png"]').waitFor();
        await h.shot('petition-investigate');
      }
      await submit();
      await openTask('W0003');
      await page.fill('#f-handling', round === 1 ? '责令停止夜间施工' : '责令停止夜间施工，立案处罚');
      await submit();
      await h.signOut();
      await h.signIn('office');
      await review('W0003', round === 2, round === 1 ? '请补充处罚情况' : '同意办结');
      if (round === 1) {
        await h.signOut();
        await h.signIn('unit', 'JLJD');
      }
    }
    await h.open('/office/petitions');
    await page.click(`.batch-table .batch-link:has-text("${BATCH}")`);
    await page.locator('.complaint-table tr', { hasText: 'W0003' }).filter({ hasText: '已办结' }).waitFor();
  });

  it('publishes the batch; the public page shows it without the complainant, and the daily report downloads', async () => {
    await h.open('/office/petitions');
    await page.click(`.batch-table .el-table__row:has-text("${BATCH}") .publish-batch`);
    await page.locator('.el-message-box .el-button--primary').click();
    await success('已公开');
    const [docx] = await Promise.all([page.waitForEvent('download'), page.click('.report-docx')]);
    expect(docx.suggestedFilename()).toMatch(/\.docx$/);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('.report-xlsx')]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    await h.shot('petition-batches');
    await h.signOut();
    await h.open('/public/petitions');
    await page.click(`.public-batch-link:has-text("${BATCH}")`);
    await page.locator('.public-complaints', { hasText: 'W0003' }).waitFor();
    const text = (await page.textContent('.public-batch')) ?? '';
    expect(text).toContain('属实');
    for (const secret of ['赵某某', '13700009999', '王某某', '13800001234', '幸福路'])
      expect(text).not.toContain(secret);
    await h.shot('petition-public');
  });
});
