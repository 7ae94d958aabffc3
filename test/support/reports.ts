import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { TaskActor } from '../../src/demo/task-actor.js';
import type { TestApp } from './test-app.js';

/** China wall-clock time as epoch ms. */
export const cst = (isoLocal: string) => Date.parse(`${isoLocal}+08:00`);

export async function deploy(t: TestApp, ...names: string[]): Promise<void> {
  // The rectification hands each co-unit's part to its own process, and calls 验收销号.
  const files = names.includes('rectification') ? [...new Set([...names, 'unit-part', 'signoff'])] : names;
  await t.definitions.deploy(
    'reports-test',
    files.map((f) => ({ resource: `${f}.bpmn`, content: readFileSync(`processes/${f}.bpmn`) })),
  );
}

/**
 * The office and the units take a problem through its rectification to 验收 (plausible form data, evidence
 * uploaded), then the clock runs to the end of the 公示 with no objection: 销号, about a week later.
 */
export async function signOff(t: TestApp, code: string): Promise<void> {
  const actor = t.app.get(TaskActor);
  for (let round = 0; round < 10; round++) {
    const open = (await actor.openTasks(code)).filter(
      (x) =>
        (x.definitionKey === 'rectification' && x.activityId !== 'recheck') ||
        x.definitionKey === 'unit-part' ||
        (x.definitionKey === 'signoff' && x.activityId !== 'reviewObjection'),
    );
    if (!open.length) break;
    for (const task of open) await actor.completeTask(task);
  }
  await t.engine.drainDue();
  const [notice]: { ends_on: string }[] = await t.db.query(
    `SELECT n.ends_on::text AS ends_on FROM signoff_notice n JOIN problem p ON p.id = n.problem_id
     WHERE p.code = $1 AND n.closed_at IS NULL`,
    [code],
  );
  if (notice) await clockTo(t, Date.parse(`${notice.ends_on}T00:00:00+08:00`) + 86_400_000 + 1000);
}

/** Moves the controlled clock to an instant (forward only), firing what falls due. */
export async function clockTo(t: TestApp, ms: number): Promise<void> {
  if (ms < t.clock.now()) throw new Error(`the clock is already past ${new Date(ms).toISOString()}`);
  await t.http
    .post('/api/admin/clock/add')
    .send({ offsetMilli: ms - t.clock.now() })
    .expect(200);
}

/** The text of a .docx (its main part, tags stripped). */
export async function docxText(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]+>/g, '');
}

/** Units of the seed's city, as the office registers them. */
export async function cityUnits(t: TestApp, units: [string, string][]): Promise<void> {
  await t.http.post('/api/units').send({ code: 'CITY', name: '天门市' }).expect(201);
  for (const [code, name] of units)
    await t.http.post('/api/units').send({ code, name, parentCode: 'CITY' }).expect(201);
}
