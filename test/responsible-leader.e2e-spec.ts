import { deploySupervision, supervisionDriver } from './support/supervision.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { HEADERS, importFile, problemRow, problemSheet, seedUnits } from './support/xlsx.js';

const MONDAY = Date.parse('2026-03-02T01:00:00Z'); // 09:00 in China
const HOUR = 3_600_000;

describe('责任领导: named on each problem, copied on every notice, the interview target by default', () => {
  let t: TestApp;
  let d: ReturnType<typeof supervisionDriver>;
  let leader: { username: string; personId: string };
  beforeAll(async () => {
    t = await startTestApp();
    t.clock.pin(MONDAY);
    await deploySupervision(t);
    await seedUnits(t);
    // A vice mayor: a person with a leader's account and an in-app channel of their own.
    const person = (
      await t.http.post('/api/persons').send({ name: '王副市长', unitCode: 'HBJ', role: 'head' }).expect(201)
    ).body;
    const account = await t.credentials('leader');
    await t.db.query(`UPDATE account SET person_id = $2 WHERE username = $1`, [account.username, person.id]);
    leader = { username: account.username, personId: person.id };
    await t.http
      .post('/api/notify/channels')
      .send({ ownerType: 'person', ownerId: person.id, kind: 'inapp', label: '王副市长站内消息' })
      .expect(201);
    d = supervisionDriver(t);
  });
  afterAll(() => t.close());

  it('is set on create (by name or username), edit and import, and refused when no leader has that name', async () => {
    const base = {
      title: '饮用水源地保护区内违建',
      category: '生态',
      leadUnit: 'HBJ',
      person: '张三',
      deadline: '2026-03-20',
      goal: '全部拆除',
    };
    const bad = await t.http
      .post('/api/problems')
      .send({ ...base, code: 'RL-0', responsibleLeader: '李副市长' })
      .expect(422);
    expect(bad.body.message).toContain('没有用户名或姓名为「李副市长」的领导账号');
    const created = await t.http
      .post('/api/problems')
      .send({ ...base, code: 'RL-1', responsibleLeader: '王副市长' })
      .expect(201);
    expect(created.body.responsibleLeader).toBe(leader.username);
    await t.http
      .post('/api/problems')
      .send({ ...base, code: 'RL-2', deadline: '2026-12-31' })
      .expect(201);
    const edited = await t.http.patch('/api/problems/RL-2').send({ responsibleLeader: leader.username }).expect(200);
    expect(edited.body.responsibleLeader).toBe(leader.username);
    await t.http.patch('/api/problems/RL-2').send({ responsibleLeader: null }).expect(200);
    expect((await d.problem('RL-2')).responsibleLeader).toBeNull();

    const headers = [...HEADERS, '责任领导'];
    const sheet = await problemSheet(
      [[...problemRow(1, { 编号: 'RL-3', 责任单位: null, 整改时限: '2026-12-31' }), '王副市长']],
      headers,
    );
    await importFile(t, sheet);
    expect((await d.problem('RL-3')).responsibleLeader).toBe(leader.username);
    const refused = await t.http
      .post('/api/problems/import')
      .attach(
        'file',
        await problemSheet([[...problemRow(2, { 编号: 'RL-4', 责任单位: null }), '无此人']], headers),
        'list.xlsx',
      )
      .expect(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ column: '责任领导' })]);
    // The template has the column.
    const leaders = await t.http.get('/api/leaders').expect(200);
    expect(leaders.body.items).toEqual([{ username: leader.username, name: '王副市长' }]);
  });

  it('lets the leader see their own problems', async () => {
    const me = await t.as('leader');
    const mine = await me.get('/api/problems').query({ leader: leader.username }).expect(200);
    expect(mine.body.items.map((p: { code: string }) => p.code).sort()).toEqual(['RL-1', 'RL-3']);
    expect((await me.get('/api/problems/RL-1').expect(200)).body.responsibleLeader).toBe(leader.username);
  });

  it('copies the leader on each notice of the ladder and makes them the interview target', async () => {
    await d.settle();
    await d.toRectifying('RL-1', '2026-03-20');
    await d.at(d.endOf(d.addWorkdays('2026-03-20', 20)) + HOUR);
    const actions = await d.actions('RL-1');
    expect(actions.map((a: { type: string }) => a.type)).toEqual(['reminder', 'notice', 'bulletin', 'interview']);
    const interview = actions.find((a: { type: string }) => a.type === 'interview');
    expect(interview.body.target).toBe('责任领导王副市长及市环保局主要负责人');
    expect(interview.body.text).toContain('约谈责任领导王副市长');
    await d.complete('RL-1', 'schedule', {
      interviewDate: '2026-04-23',
      interviewPlace: '市政府3楼会议室',
      attendees: ['王副市长', '市环保局局长'],
    });
    const got: { kind: string; title: string }[] = await t.db.query(
      `SELECT o.event_kind AS kind, o.payload ->> 'title' AS title FROM notify_outbox o JOIN notify_channel c ON c.id = o.channel_id
       WHERE c.owner_id = $1 ORDER BY o.created_at, o.event_kind`,
      [leader.personId],
    );
    const kinds = got.map((g) => g.kind);
    // 提醒, 督办单, 通报, 约谈通知: every notice about the problem reaches its leader.
    expect(kinds).toEqual(expect.arrayContaining(['reminder', 'notice', 'bulletin', 'summons']));
    expect(got.find((g) => g.kind === 'summons')!.title).toContain('约谈通知');
    // RL-3 (same leader, no notice yet) and RL-2 (no leader) reached nobody else through this channel; what a
    // leader is told of the office's own late tasks (督办办公室事项逾期) goes to every leader, whatever the problem.
    // A late task's 催办 goes to the people of the task's unit, the leader's person among them.
    const aboutProblem = got.filter((g) => !g.title.startsWith('督办办公室事项逾期') && !g.title.startsWith('催办：'));
    expect(aboutProblem.filter((g) => g.title.includes('RL-2'))).toEqual([]);
  });

  it("answers the leader's own page: the actions on their problems (copied to them), their interviews", async () => {
    const me = await t.as('leader');
    const all = (await me.get('/api/supervision/actions').query({ leader: leader.username }).expect(200)).body;
    expect(all.items.map((a: { problemCode: string }) => a.problemCode)).toEqual(all.items.map(() => 'RL-1'));
    expect(all.items.map((a: { type: string }) => a.type).sort()).toEqual([
      'bulletin',
      'interview',
      'notice',
      'reminder',
    ]);
    const interviews = (
      await me.get('/api/supervision/actions').query({ leader: leader.username, type: 'interview' }).expect(200)
    ).body;
    expect(interviews).toMatchObject({ total: 1, items: [{ problemCode: 'RL-1', type: 'interview' }] });
    expect(interviews.items[0].body.target).toContain('责任领导王副市长');
    // Another account's name finds nothing of theirs.
    expect((await me.get('/api/supervision/actions').query({ leader: 'nobody' }).expect(200)).body.total).toBe(0);
  });
});
