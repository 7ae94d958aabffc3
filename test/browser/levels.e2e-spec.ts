import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.js';

/**
 * Levels through the pages (the demo loaded as on `npm start`: 湖北省整改办 → 天门市 → its towns): the units page
 * shows the tree with each unit's level; the province's 汉江 problem shows the problems split from it, their
 * roll-up and the town's sign-off filed up; 拆分下达 opens its child table and says in Chinese, by the field,
 * why a child cannot be later than its parent; a town's problem names its parent. No English, no console error.
 */
describe('the levels on the pages', () => {
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

  it('shows the unit tree with its levels', async () => {
    await h.open('/admin/units');
    await page.waitForSelector('.units-table');
    const province = page.locator('.units-table .el-table__row', { hasText: '湖北省整改办' }).first();
    expect(await province.locator('.unit-level').textContent()).toContain('省级');
    const town = page.locator('.units-table .el-table__row', { hasText: '岳口镇' }).first();
    expect(await town.locator('.unit-level').textContent()).toContain('乡镇级');
    const department = page.locator('.units-table .el-table__row', { hasText: '市环保局' }).first();
    expect(await department.locator('.unit-level').textContent()).toContain('部门');
    await h.shot('levels-units');
  });

  it("shows a split problem's children, roll-up and filings, and refuses a child later than its parent", async () => {
    await h.open('/problems/HB2017-01');
    const card = page.locator('#levels');
    await card.waitFor();
    await card.locator('.children-table .el-table__row', { hasText: 'HB2017-01-3' }).waitFor();
    expect(await card.locator('.rollup').textContent()).toContain('1/3');
    expect(await card.locator('.filings-table').textContent()).toContain('岳口镇');
    await h.shot('levels-problem');

    await card.locator('.split-open').click();
    const dialog = page.locator('.split-dialog');
    await dialog.waitFor();
    await dialog.locator('.split-unit-0 .el-select__wrapper').click();
    await page
      .locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '竟陵街道' })
      .first()
      .click();
    await dialog.locator('.split-title-0 input').fill('竟陵街道汉江沿岸堆场清理');
    await h.shot('levels-split');
    await dialog.locator('.split-save').click();
    // The demo's problem is due in 2018: a child due by then lies before today.
    await dialog.locator('.field-error', { hasText: '早于今天' }).waitFor();
    expect(await dialog.locator('.split-failure').textContent()).toContain('请按各项的提示修改');
    await h.shot('levels-split-refused');
  });

  it("names a town problem's parent", async () => {
    await h.open('/problems/HB2017-01-2');
    const card = page.locator('#levels');
    await card.waitFor();
    expect(await card.locator('.parent').textContent()).toContain('HB2017-01');
    await h.shot('levels-child');
  });
});
