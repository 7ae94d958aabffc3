import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { bpmn, startTestApp, type TestApp } from '../support/test-app.js';
import { problemRow, problemSheet, seedUnits, upload } from '../support/xlsx.js';
import { launch, type Browser } from './browser.js';

/**
 * The pages in a real browser (Debian's chromium via playwright-core): a unit handler signs in, works a task
 * (a bad field first, then right), sees the ledger follow; a leader reads the battle map and the dashboard;
 * the office imports a bad list; the public page signed out. A screenshot of each page goes to test/output/.
 */
const DAY = 86_400_000;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe('pages in a browser', () => {
  let t: TestApp;
  let b: Browser;
  let base: string;
  let page: Page;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    // The browser reads the real time: the service's clock stands at the same instant.
    t.clock.pin(Date.now());
    await t.definitions.deploy('rectification', [{ resource: 'rectification.bpmn', content: readFileSync('processes/rectification.bpmn') }]);
    await seedUnits(t);
    const deadline = new Date(Math.floor(Date.now() / DAY) * DAY + 120 * DAY);
    const rows = [
      problemRow(1, { 问题: '城区餐饮油烟直排，群众反映强烈', 整改时限: deadline }),
      problemRow(2, { 牵头单位: '市水利局', 问题: '竟陵河黑臭水体整治不到位', 类别: '水污染', 责任人: '李四', 整改时限: deadline }),
      problemRow(3, { 问题: '建筑工地扬尘管控不力', 整改时限: deadline }),
    ];
    const res = await upload(t, await problemSheet(rows)).expect(201);
    for (const p of res.body.created) ids[p.code] = p.id;
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    b = await launch();
    page = b.page;
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  async function signIn(role: 'unit' | 'leader' | 'office', unit?: string) {
    const { username, password } = await t.credentials(role, unit);
    await page.goto(`${base}/login`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
  }

  async function signOut() {
    await page.click('#sign-out');
    await page.waitForURL(/\/login/);
  }

  it('signs a unit handler in; the inbox shows its tasks with lights, days left and counts', async () => {
    await page.goto(`${base}/inbox`);
    await page.waitForURL(/\/login\?next=%2Finbox/);
    await page.waitForSelector('#login-form');
    await b.shot('login');
    await signIn('unit', 'HBJ');
    expect(new URL(page.url()).pathname).toBe('/inbox');
    await page.waitForSelector('#inbox-table');
    const text = await page.textContent('#inbox-table');
    expect(text).toContain('TM-00001');
    expect(text).toContain('TM-00003');
    expect(text).not.toContain('TM-00002'); // 市水利局's
    expect(text).toContain('牵头单位签收');
    expect(text).toMatch(/剩 \d+ 天/);
    expect(await page.textContent('[data-filter="all"] .badge')).toBe('2');
    expect(await page.locator('#inbox-table .chip.green').count()).toBe(2);
    await b.shot('inbox');
  });

  it('works a task: a bad field shows its message by the field, the good form completes it', async () => {
    await page.click('tr[data-task]:has-text("TM-00001")');
    await page.waitForSelector('#task-form');
    expect(await page.textContent('h1')).toContain('牵头单位签收');
    await page.fill('#f-note', '收到'.repeat(1001));
    await page.click('#task-submit');
    await page.waitForSelector('[data-error-for="note"]:has-text("不能超过 2000 个字符")');
    expect(await page.getAttribute('#f-note', 'class')).toContain('invalid');
    await page.fill('#f-note', '已收悉，立即组织整改');
    await Promise.all([page.waitForURL(/\/inbox$/), page.click('#task-submit')]);
    expect(await page.textContent('#flash')).toContain('TM-00001');

    // The plan (倒排工期): a milestone after the deadline is refused by that milestone's date.
    await page.waitForSelector('tr[data-task]:has-text("制定整改方案")');
    await page.click('tr[data-task]:has-text("制定整改方案")');
    await page.waitForSelector('#task-form');
    // Evidence (佐证材料) on the task's problem: a PNG, listed once stored.
    await page.waitForSelector('#evidence .evidence-list :is(ul, span)');
    if (!(await page.locator('#evidence-unavailable').count())) {
      await page.setInputFiles('#evidence-file', { name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
      await page.click('#evidence-upload');
      await page.waitForSelector('#evidence li:has-text("现场照片.png")');
    }
    // The extension request: refused by field when empty, or said to be not there yet.
    await page.waitForSelector('#extension-form');
    if (!(await page.locator('#ext-unavailable').count())) {
      await page.click('#ext-submit');
      await page.waitForSelector('#extension-form .error:not(:empty), #extension-form .notice');
    }
    await page.fill('#f-summary', '取缔直排，安装油烟净化设施，建立长效监管机制');
    await page.fill('input[name="milestones.0.title"]', '完成排查建档');
    await page.fill('input[name="milestones.0.dueDate"]', '2099-01-01');
    await page.click('#task-submit');
    await page.waitForSelector('[data-error-for="milestones.0.dueDate"]:has-text("晚于整改时限")');
    await page.waitForSelector('#evidence');
    await b.shot('task');
    const due = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    await page.fill('input[name="milestones.0.dueDate"]', due);
    await Promise.all([page.waitForURL(/\/inbox$/), page.click('#task-submit')]);
    expect(await page.textContent('#flash')).toContain('制定整改方案');
  });

  it('shows the ledger with the status that followed, and the problem page with its path on the diagram', async () => {
    await page.goto(`${base}/ledger`);
    await page.waitForSelector('#ledger-table');
    expect(await page.textContent('tr[data-code="TM-00001"] .status-cell')).toBe('制定方案');
    expect(await page.textContent('tr[data-code="TM-00003"] .status-cell')).toBe('已交办');
    expect(await page.locator('#ledger-table tbody tr').count()).toBe(2); // the unit's own
    await b.shot('ledger');

    await page.click('tr[data-code="TM-00001"] a');
    await page.waitForSelector('#diagram[data-ready="true"]');
    expect(await page.locator('#diagram .djs-element.done').count()).toBeGreaterThan(0);
    expect(await page.locator('#diagram .djs-element.current[data-element-id="review"]').count()).toBe(1);
    expect(await page.textContent('#gantt')).toContain('完成排查建档');
    await page.waitForSelector('#timeline-list');
    await b.shot('problem');
    await signOut();
  });

  it('shows a leader the battle map: heat-coloured steps, their problems, one problem', async () => {
    await signIn('leader');
    expect(new URL(page.url()).pathname).toBe('/review');
    await page.waitForSelector('#review-diagram[data-ready="true"]');
    expect(await page.textContent('[data-step="sign"]')).toBe('2');
    const fill = await page.$eval('[data-element-id="sign"] .djs-visual > rect', (el) => (el as unknown as { style: { fill: string } }).style.fill);
    expect(fill).toMatch(/^rgb/);
    // Filtered by a unit, the counts follow; back to every unit.
    await page.selectOption('#review-unit', 'SLJ');
    const signCount = (n: string) => page.waitForFunction((want) => (globalThis as any).document.querySelector('[data-step="sign"]')?.textContent === want, n);
    await signCount('1');
    expect(await page.locator('[data-step="review"]').count()).toBe(0);
    await page.selectOption('#review-unit', '');
    await signCount('2');
    await page.click('#review-diagram [data-element-id="sign"]');
    await page.waitForSelector('#step-table');
    expect(await page.locator('#step-table tbody tr').count()).toBe(2);
    await b.shot('review');
    // The step list may still re-render as the click lands (an aborted first navigation); wait for the page itself.
    await page.click('#step-table tr[data-code="TM-00002"] a');
    await page.waitForURL(/\/problems\//, { waitUntil: 'commit' }).catch(() => undefined);
    if (!page.url().includes('/problems/')) await page.goto(await page.locator('#step-table tr[data-code="TM-00002"] a').getAttribute('href').then((h) => new URL(h!, page.url()).toString()));
    expect(new URL(page.url()).pathname).toBe(`/problems/${ids['TM-00002']}`);
    await page.waitForSelector('#diagram[data-ready="true"]');

    await page.goto(`${base}/dashboard`);
    await page.waitForSelector('main[data-ready="true"]');
    await page.waitForSelector('#indicators table');
    expect(await page.textContent('#unit-ranking')).toContain('市环保局');
    expect(await page.textContent('#indicators')).toContain('PM2.5');
    await page.waitForTimeout(300);
    await b.shot('dashboard');
    await signOut();
  });

  it("shows the office's import its bad rows in place", async () => {
    await signIn('office');
    await page.goto(`${base}/ledger`);
    await page.waitForSelector('#import-card');
    const bad = await problemSheet([problemRow(7, { 牵头单位: '市宣传部' }), problemRow(8, { 整改时限: '明年' })]);
    await page.setInputFiles('#import-file', { name: 'problems.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bad });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    expect(download.suggestedFilename()).toBe('整改台账.xlsx');
    await page.waitForSelector('#export-done');
    await page.click('#import-submit');
    await page.waitForSelector('#import-errors');
    const text = await page.textContent('#import-errors');
    expect(text).toContain('牵头单位');
    expect(text).toContain('整改时限');
    expect(await page.locator('#ledger-table tbody tr').count()).toBe(3);
    await b.shot('ledger-office');
    await signOut();
  });

  it('shows the public page signed out, without any personal name', async () => {
    await page.goto(`${base}/public`);
    await page.waitForSelector('#public-table');
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('TM-00002');
    expect(text).toContain('市水利局');
    expect(text).not.toContain('张三');
    expect(text).not.toContain('李四');
    await b.shot('public');
  });

  it('goes on after sign-in to the page asked for, and never off the site', async () => {
    const { username, password } = await t.credentials('office');
    const signInWith = async (query: string) => {
      await page.goto(`${base}/login?next=${query}`);
      await page.fill('#username', username);
      await page.fill('#password', password);
      await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-submit')]);
      const at = new URL(page.url());
      await signOut();
      return `${at.origin}${at.pathname}`;
    };
    expect(await signInWith(encodeURIComponent('/ledger?q=油烟'))).toBe(`${base}/ledger`);
    // As an attacker writes them into a link: `/%09/…` arrives as a tab, `/\…` as a backslash.
    const hostile = [
      '/%09/evil.example', encodeURIComponent('/\\evil.example'), '/\\evil.example', '//evil.example',
      encodeURIComponent('https://evil.example'), 'javascript:alert(1)',
    ];
    for (const query of hostile) expect([query, await signInWith(query)]).toEqual([query, `${base}/inbox`]);
  });

  it("shows the office a stopped process in Chinese: on the problem's page, in the incidents list, as a banner", async () => {
    await t.definitions.deploy('stalls', [{ resource: 'stalls.bpmn', content: bpmn(`
      <process id="stalls" name="期限跟踪" isExecutable="true">
        <startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="check"/>
        <userTask id="check" name="核实期限" camunda:candidateGroups="office"/>
        <sequenceFlow id="f2" sourceRef="check" targetRef="waitDeadline"/>
        <intermediateCatchEvent id="waitDeadline" name="等待整改时限届满">
          <timerEventDefinition><timeDate>workdays(0, \${environment.variables.deadline})</timeDate></timerEventDefinition>
        </intermediateCatchEvent>
        <sequenceFlow id="f3" sourceRef="waitDeadline" targetRef="overdue"/><userTask id="overdue" name="逾期督办"/>
      </process>`) }]);
    const inst = await t.engine.startProcess('stalls', { businessKey: 'TM-00003' });
    const [task] = await t.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [inst.id]);
    await t.engine.completeTask(task.id, { deadline: '2100-03-01' }).catch(() => undefined);

    await signIn('office');
    await page.waitForSelector('#incident-banner');
    expect(await page.textContent('#incident-banner')).toContain('督办已停止');
    await page.goto(`${base}/problems/${ids['TM-00003']}`);
    await page.waitForSelector('#escalation-stopped');
    const stopped = (await page.textContent('#escalation-stopped')) ?? '';
    expect(stopped).toContain('督办已停止');
    expect(stopped).toContain('期限跟踪');
    expect(stopped).toContain('2100 年没有工作日历');
    await b.shot('problem-stopped');
    await page.goto(`${base}/incidents`);
    await page.waitForSelector('#incident-list table');
    const row = (await page.textContent('#incident-list tbody tr')) ?? '';
    expect(row).toContain('TM-00003');
    expect(row).toMatch(/核实期限|等待整改时限届满/);
    await page.click('#incident-list button.retry');
    await page.waitForSelector('#incident-list .late');
    expect(await page.textContent('#incident-list .late')).toContain('重试未成功');
    await b.shot('incidents');
    await signOut();
  });

  it('logged no console error on any page (only the 422s the form test asked for)', () => {
    expect(b.errors).toEqual([]);
    expect(b.failedRequests.filter((r) => r.status !== 422)).toEqual([]);
  });
});
