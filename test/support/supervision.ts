import { readFileSync } from 'node:fs';
import { CalendarService } from '../../src/calendar/calendar.service.js';
import { SupervisionEvents } from '../../src/supervision/supervision.events.js';
import { SELF_CHECK, endOfChinaDay, openNotice, siteCheck, uploadEvidence } from './signoff.js';
import { DAY, type TestApp } from './test-app.js';

export const SUPERVISION_FILES = [
  'rectification',
  'signoff',
  'unit-part',
  'escalation-ladder',
  'interview',
  'inspection',
  'accountability',
  'extension',
];

/** Deploys the rectification process and the supervision processes from processes/. */
export async function deploySupervision(t: TestApp): Promise<void> {
  await t.definitions.deploy(
    'supervision',
    SUPERVISION_FILES.map((f) => ({ resource: `${f}.bpmn`, content: readFileSync(`processes/${f}.bpmn`) })),
  );
}

export interface Task {
  id: string;
  activity_id: string;
  definition_key: string;
  name: string;
  candidate_groups: string[];
  form_key: string;
  due_at: Date | null;
  due_spec: string | null;
}

/** Driving a problem through its processes and the clock, as the office and the units would. */
export function supervisionDriver(t: TestApp) {
  const events = t.app.get(SupervisionEvents);
  const calendar = t.app.get(CalendarService);
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      await t.http.post('/api/admin/clock/add').send({ offsetMilli: 0 }).expect(200);
      await events.settled();
    }
  };
  const d = {
    calendar,
    settle,
    /** End of a China day: 00:00 of the next day, Asia/Shanghai. */
    endOf: (date: string) => Date.parse(`${date}T00:00:00+08:00`) + DAY,
    addWorkdays: (date: string, n: number) => calendar.addWorkdays(date, n),
    /** Moves the clock to `ms` (forward), firing what falls due, and lets the messages after the commits land. */
    async at(ms: number) {
      const offset = ms - t.clock.now();
      if (offset < 0) throw new Error(`the clock is already past ${new Date(ms).toISOString()}`);
      await t.http.post('/api/admin/clock/add').send({ offsetMilli: offset }).expect(200);
      await settle();
    },
    tasks: (code: string): Promise<Task[]> =>
      t.db.query(
        `SELECT id, activity_id, definition_key, name, candidate_groups, form_key, due_at, due_spec FROM engine_task WHERE business_key = $1 ORDER BY created_at, activity_id`,
        [code],
      ),
    async complete(code: string, activityId: string, vars: Record<string, unknown> = {}) {
      const open = await d.tasks(code);
      const task = open.find((x) => x.activity_id === activityId);
      if (!task)
        throw new Error(
          `${code}: no open ${activityId}; open: ${open.map((x) => `${x.definition_key}/${x.activity_id}`).join(', ')}`,
        );
      await t.engine.completeTask(task.id, vars);
      await settle();
    },
    problem: async (code: string) => (await t.http.get(`/api/problems/${code}`).expect(200)).body,
    actions: async (code: string, query: Record<string, string> = {}) =>
      (
        await t.http
          .get('/api/supervision/actions')
          .query({ problemId: code, pageSize: '200', ...query })
          .expect(200)
      ).body.items.reverse(),
    ladder: async (code: string) => {
      const [row] = await t.db.query(
        `SELECT id, status, variables FROM engine_instance WHERE definition_key = 'escalation-ladder' AND business_key = $1`,
        [code],
      );
      return row;
    },
    ladderTimer: async (code: string) => {
      const [row] = await t.db.query(
        `SELECT tm.id, tm.activity_id, tm.spec, tm.expire_at FROM engine_timer tm JOIN engine_instance i ON i.id = tm.instance_id
         WHERE i.definition_key = 'escalation-ladder' AND i.business_key = $1`,
        [code],
      );
      return row;
    },
    /** Through 签收 and the plan to 整改落实 (the plan's one milestone on the deadline). */
    async toRectifying(code: string, deadline: string) {
      await d.complete(code, 'sign');
      await d.complete(code, 'plan', { milestones: [{ title: '完成整改', dueDate: deadline }] });
      await d.complete(code, 'review', { planApproved: true });
    },
    /** 整改落实 done, then 验收销号: evidence, 自查, 验收 passed, and the 公示 waited out without objection. */
    async signOff(code: string) {
      await d.complete(code, 'rectify', { report: '已完成' });
      await d.complete(code, 'apply', { summary: '整改完成', evidenceFileIds: await uploadEvidence(t, code) });
      await d.complete(code, 'selfCheck', SELF_CHECK);
      const today = new Date(t.clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      await d.complete(code, 'verify', siteCheck(true, today));
      const notice = await openNotice(t, code);
      if (!notice) throw new Error(`${code}: no 公示 after the verification`);
      await d.at(endOfChinaDay(notice.ends_on) + 1000);
    },
  };
  return d;
}
