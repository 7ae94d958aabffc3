import { startHarness, type Harness } from './harness.js';

/**
 * A unit's clerk (市环保局) does the month's work on the pages only: the inbox with its lights explained, the
 * monthly progress report (one row per problem: text, percentage, evidence), a step's own form (a bad field
 * shown by the field, then right), its problems, a problem's page with its trail, the messages.
 */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('the unit on the pages', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  }, 300_000);
  afterAll(() => h?.close());

  it('signs in to its inbox: tasks with lights, their meaning explained, filters and tabs', async () => {
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
    expect(await page.textContent('.light-legend')).toContain('已超期');
    expect(await page.textContent('#who')).toContain('陈志刚');
    await h.shot('unit-inbox');
    await page.click('#tab-cc');
    await page.waitForSelector('#inbox-list :is(.el-table, .el-empty)');
    await h.shot('unit-inbox-cc');
    await page.click('#tab-done');
    await page.waitForSelector('#inbox-list :is(.el-table, .el-empty)');
    await page.click('#tab-todo');
    await page.waitForSelector('#inbox-table');
  });

  it('files the monthly report: every problem a row, a missing text refused by its row, then sent', async () => {
    const { page } = h;
    await page.click('#inbox-table tr:has-text("报送月度整改进展") button');
    await page.waitForSelector('#monthly-report .report-row');
    const rows = await page.locator('#monthly-report .report-row').count();
    expect(rows).toBeGreaterThan(0);
    await page.fill('#report-0-text', '已完成排查建档，正在推进整改');
    await page.click('#report-submit');
    await page.waitForSelector('#report-general-error');
    if (rows > 1) expect(await page.textContent('.report-row[data-problem]:nth-of-type(2) .el-form-item__error')).toContain('请填写本月进展');
    await page.setInputFiles('.report-row >> nth=0 >> input[type=file]', { name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    await page.waitForSelector('.report-row >> nth=0 >> li[data-file="现场照片.png"]');
    for (let i = 0; i < rows; i++) {
      await page.fill(`#report-${i}-text`, `第 ${i + 1} 项：本月完成现场整治，建立长效监管台账`);
      await page.fill(`#report-${i}-percent input`, '60');
    }
    await h.shot('unit-monthly-report');
    await Promise.all([page.waitForURL(/\/unit\/inbox$/), page.click('#report-submit')]);
    await page.waitForSelector('.el-message--success');
    expect(await page.textContent('.el-message--success')).toContain('月度整改进展');
  });
});
