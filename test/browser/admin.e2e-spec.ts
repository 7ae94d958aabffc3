import type { Page } from 'playwright-core';
import { choose as pick, startHarness, type Harness } from './harness.js';

/**
 * The administrator's pages, through the pages only: it disables an account (which then cannot sign in),
 * resets a password, reads the audit trail and verifies it. Every admin page is photographed; none shows an
 * English word or logs an error.
 */
describe('the admin pages', () => {
  let h: Harness;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    page = h.page;
    await h.signIn('admin');
  }, 300_000);

  afterAll(async () => {
    await h?.close();
  });

  async function confirm(): Promise<void> {
    await page.locator('.el-message-box__btns .el-button--primary').click();
  }

  const choose = (selector: string, text: string) => pick(page, selector, text);

  const row = () => page.locator('.accounts-table .el-table__row', { hasText: 'ld2026' });

  it('creates a leader account, then disables it: shown as disabled, it can no longer sign in', async () => {
    expect(new URL(page.url()).pathname).toBe('/admin/accounts');
    await page.waitForSelector('.accounts-table');
    await page.click('.add-account');
    const form = page.locator('.account-dialog');
    await form.waitFor();
    await form.locator('.account-username input').fill('ld2026');
    const password = await form.locator('.account-password input').inputValue();
    await choose('.account-dialog .account-role', '领导');
    await h.shot('admin-account-form');
    await form.locator('.save-account').click();
    await page.locator('.password-dialog', { hasText: 'ld2026' }).waitFor();
    await page.locator('.password-dialog .el-button--primary').click();
    await row().waitFor();
    await h.shot('admin-accounts');

    await row().locator('.toggle-account').click();
    await confirm();
    await page.locator('.el-message--success', { hasText: '已停用' }).waitFor();
    await row().locator('.account-state', { hasText: '已停用' }).waitFor();

    await h.signOut();
    await page.fill('#username', 'ld2026');
    await page.fill('#password', password);
    await page.click('#login-submit');
    await page.locator('.el-message--error, .el-alert--error').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await h.signIn('admin');
    await h.open('/admin/accounts');
    await row().locator('.account-state', { hasText: '已停用' }).waitFor();
  });

  it('resets a password and shows the temporary one once', async () => {
    await row().locator('.reset-password').click();
    await confirm();
    await page.locator('.password-dialog .temporary-password').waitFor();
    expect((await page.textContent('.password-dialog .temporary-password'))!.trim().length).toBeGreaterThanOrEqual(10);
    await page.locator('.password-dialog .el-button--primary').click();
  });

  it('reads the audit trail and verifies it', async () => {
    await h.open('/admin/audit');
    await page.waitForSelector('.audit-table .el-table__row');
    await page.click('.verify-audit');
    await page.locator('.verify-result', { hasText: '校验通过' }).waitFor();
    await h.shot('admin-audit');
  });

  it('opens the units and persons pages', async () => {
    for (const [path, selector, name] of [
      ['/admin/units', '.units-table', 'admin-units'],
      ['/admin/persons', '.persons-table', 'admin-persons'],
    ]) {
      await h.open(path);
      await page.waitForSelector(selector);
      await h.shot(name);
    }
  });
});
