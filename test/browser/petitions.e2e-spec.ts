import { chinaDate } from '../../src/problems/rules/china-date.js';
import { petitionRow, petitionSheet } from '../support/petitions.js';
import { startHarness, type Harness } from './harness.js';

/**
 * 边督边改 on the pages only: the office imports a batch of the team's complaints (progress shown), the unit
 * (竟陵街道) signs, investigates and handles one through its inbox with the complaint shown on the task, the office
 * approves it from the batch's page and publishes the batch, and the public page shows it without complainant data.
 * Every page: no console error, no English, a screenshot.
 */
describe('边督边改 on the pages', () => {
  let h: Harness;
  const code = `第${Date.now() % 1000}批`;

  beforeAll(async () => {
    h = await startHarness();
    // The demo's two batches of 2017 load in the background after start-up, as on `npm start`.
    for (let i = 0; i < 300; i++) {
      const [{ n }] = await h.t.db.query(`SELECT count(*)::int AS n FROM petition_batch`);
      if (n >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 300_000);
  afterAll(() => h?.close());

  it('the office imports a batch through the page and watches it come in', async () => {
    const { page } = h;
    await h.signIn('office');
    await h.open('/office/petitions');
    await page.waitForSelector('.batch-table');
    await page.waitForSelector('.batch-table :text("演示数据")');
    await h.shot('petitions-batches');
    await page.click('.open-import');
    await page.waitForSelector('.petition-import');
    const file = await petitionSheet([
      petitionRow(901, { 受理编号: 'W0901', 交办问题基本情况: '竟陵街道幸福村一作坊夜间焚烧废旧轮胎，黑烟刺鼻' }),
      petitionRow(902, { 受理编号: 'W0902', 污染类型: '噪声污染' }),
    ]);
    await page.setInputFiles('.petition-upload input[type=file]', {
      name: '第9批信访件.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    await page.fill('.batch-code input', code);
    const closeBy = chinaDate(h.t.clock.now() + 10 * 86_400_000);
    await page.fill('.batch-close-by input', closeBy);
    await page.press('.batch-close-by input', 'Enter');
    await page.click('.petition-import-submit');
    await page.waitForSelector('.batch-progress:has-text("导入完成")', { timeout: 120_000 });
    await h.shot('petitions-imported');
    await page.click('.petition-import .el-dialog__footer button:has-text("关闭")');
    await page.waitForSelector(`.batch-table :text("${code}")`);
  });

  it('the unit handles one complaint through its inbox, the complaint shown on each step', async () => {
    const { page } = h;
    await h.signOut();
    await h.signIn('unit', 'JLJD');
    await page.waitForSelector('#inbox-table');
    const step = async (name: string) => {
      await h.open('/unit/inbox');
      await page.waitForSelector('#inbox-table tr:has-text("W0901")');
      await page.click('#inbox-table tr:has-text("W0901") button');
      await page.waitForSelector('#task-form');
      await page.waitForSelector('#task-petition');
      expect(await page.textContent('#task-title')).toContain(name);
      expect(await page.textContent('#task-petition')).toContain('焚烧废旧轮胎');
    };
    await step('责任单位签收');
    await h.shot('petitions-unit-sign');
    await Promise.all([page.waitForURL(/\/unit\/inbox$/), page.click('#task-submit')]);
    await step('调查核实');
    await page.click('#f-verdict');
    await page.click('.el-select-dropdown__item >> text="属实"');
    await page.fill('#f-investigation', '经现场核查，该作坊确有夜间焚烧废旧轮胎行为');
    await page.fill('#f-evidence', '现场照片 4 张，询问笔录 1 份');
    await h.shot('petitions-unit-investigate');
    await Promise.all([page.waitForURL(/\/unit\/inbox$/), page.click('#task-submit')]);
    await step('处理和整改');
    await page.fill('#f-handling', '责令立即停止焚烧，拆除焚烧设施，清运废旧轮胎');
    await page.click('#f-orderedRectify-yes');
    await h.shot('petitions-unit-handle');
    await Promise.all([page.waitForURL(/\/unit\/inbox$/), page.click('#task-submit')]);
  });

  it('the office approves it from the batch page, publishes, and the public page shows no complainant data', async () => {
    const { page } = h;
    await h.signOut();
    await h.signIn('office');
    await h.open('/office/petitions');
    await page.click(`.batch-table a:has-text("${code}")`);
    await page.waitForSelector('.complaint-table tr:has-text("W0901") .review-task');
    await h.shot('petitions-batch');
    await page.click('.complaint-table tr:has-text("W0901") .review-task');
    await page.waitForSelector('#task-form');
    await page.click('#f-approved-yes');
    await page.click('#task-submit');
    await page.waitForSelector('.el-message--success');
    await h.open('/office/petitions');
    await page.click(`.batch-table tr:has-text("${code}") .publish-batch`);
    await page.click('.el-message-box__btns button:has-text("公开")');
    await page.waitForSelector(`.batch-table tr:has-text("${code}") .published`);

    await h.signOut();
    await h.open('/public/petitions');
    await page.click(`.public-batch-link:has-text("${code}")`);
    await page.waitForSelector('.public-complaints tr:has-text("W0901")');
    const text = (await page.textContent('.public-complaints')) ?? '';
    expect(text).toContain('责令立即停止焚烧');
    expect(text).toContain('属实');
    await h.shot('petitions-public');
    const all = (await page.textContent('body')) ?? '';
    for (const secret of ['王某某', '13800001234', '幸福路88号']) expect(all).not.toContain(secret);
  });
});
