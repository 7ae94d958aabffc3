import { createHmac } from 'node:crypto';
import { NotifyInboxService } from '../src/notify/notify-inbox.service.js';
import { NotifyService } from '../src/notify/notify.service.js';
import { OutboxSender } from '../src/notify/outbox-sender.js';
import { HttpReceiver } from './support/http-receiver.js';
import { SmtpCatcher } from './support/smtp-catcher.js';
import { bpmn, startTestApp, type TestApp } from './support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.parse('2026-03-02T01:00:00Z');

const taskProcess = bpmn(`
  <process id="notified" name="通知" isExecutable="true">
    <startEvent id="start"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <userTask id="work" name="整改落实" camunda:candidateGroups="\${unit}" camunda:dueDate="2026-03-31T16:00:00Z"/>
    <sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
    <endEvent id="end"/>
  </process>`);

const assignedProcess = bpmn(`
  <process id="assigned" isExecutable="true">
    <startEvent id="s"/><sequenceFlow id="g1" sourceRef="s" targetRef="check"/>
    <userTask id="check" name="现场核查" camunda:assignee="\${who}"/><sequenceFlow id="g2" sourceRef="check" targetRef="e"/>
    <endEvent id="e"/>
  </process>`);

describe('notifications: outbox, channels, back-off', () => {
  let t: TestApp;
  let smtp: SmtpCatcher;
  let robot: HttpReceiver;
  let sender: OutboxSender;
  let personId: string;
  const drain = () => sender.drain();

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    robot = await HttpReceiver.start();
    robot.respond = (r) =>
      r.path === '/broken'
        ? { status: 500, body: 'internal error' }
        : r.path === '/refusing'
          ? { status: 200, body: { errcode: 310000, errmsg: 'sign not match' } }
          : { status: 200, body: { errcode: 0, errmsg: 'ok' } };
    // The local receiver is an internal address: reached only because the operator names it (notify-webhook-guard).
    t = await startTestApp({
      DUBAN_SMTP_URL: smtp.url,
      DUBAN_SMTP_FROM: '督办系统 <duban@example.gov.cn>',
      DUBAN_NOTIFY_POLL_MS: '200',
      DUBAN_PUBLIC_URL: 'https://duban.example.gov.cn',
      DUBAN_WEBHOOK_HOSTS: `127.0.0.1:${robot.port}`,
    });
    t.clock.pin(START);
    sender = t.app.get(OutboxSender);
    await t.definitions.deploy('notify-test', [{ resource: 'notified.bpmn', content: taskProcess }]);
    await t.definitions.deploy('notify-test-assigned', [{ resource: 'assigned.bpmn', content: assignedProcess }]);
    for (const u of [
      { code: 'HBJ', name: '市环保局' },
      { code: 'ZJJ', name: '市住建局' },
      { code: 'SLJ', name: '市水利局' },
    ])
      await t.http.post('/api/units').send(u).expect(201);
    personId = (await t.http.post('/api/persons').send({ name: '张三', unitCode: 'HBJ', role: 'handler' }).expect(201))
      .body.id;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await robot.close();
  });

  const channel = (body: Record<string, unknown>) => t.http.post('/api/notify/channels').send(body);
  const outbox = async (key: string) =>
    t.db.query(
      `SELECT o.*, c.kind FROM notify_outbox o JOIN notify_channel c ON c.id = o.channel_id WHERE o.event_key = $1 ORDER BY c.kind`,
      [key],
    );
  const taskOf = async (instanceId: string) =>
    (await t.db.query(`SELECT id FROM engine_task WHERE instance_id = $1`, [instanceId]))[0].id as string;

  it('a new task for a unit reaches its e-mail, its WeCom robot and its person’s DingTalk robot exactly once', async () => {
    await channel({ ownerType: 'unit', ownerCode: 'HBJ', kind: 'email', target: 'hbj@example.gov.cn' }).expect(201);
    const wecom = await channel({
      ownerType: 'unit',
      ownerCode: 'HBJ',
      kind: 'wecom',
      target: robot.url('/wecom?key=abcdef123456'),
      label: '环保局整改群',
    }).expect(201);
    expect(wecom.body).toMatchObject({
      kind: 'wecom',
      enabled: true,
      pending: 0,
      failed: 0,
      target: robot.url('/wecom?key=***3456'),
    });
    await channel({
      ownerType: 'person',
      ownerId: personId,
      kind: 'dingtalk',
      target: robot.url('/ding?access_token=tok9876'),
      secret: 'SECabc',
    }).expect(201);
    await channel({ ownerType: 'unit', ownerCode: 'HBJ', kind: 'inapp' }).expect(201);

    const inst = await t.engine.startProcess('notified', { businessKey: 'N-1', variables: { unit: 'HBJ' } });
    const taskId = await taskOf(inst.id);
    await drain();
    for (let i = 0; i < 3; i++) await drain();
    await new Promise((r) => setTimeout(r, 700)); // the background poller runs a few times too

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].to).toEqual(['hbj@example.gov.cn']);
    expect(smtp.mails[0].subject).toBe('【待办】整改落实');
    expect(smtp.mails[0].text).toContain('任务：整改落实');
    expect(smtp.mails[0].text).toContain('期限：2026-04-01 00:00');

    const [we] = robot.on('/wecom');
    expect(robot.on('/wecom')).toHaveLength(1);
    expect(we.method).toBe('POST');
    expect(we.query.get('key')).toBe('abcdef123456');
    expect(we.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(we.json)).toEqual(['msgtype', 'markdown']);
    expect(we.json.msgtype).toBe('markdown');
    expect(Object.keys(we.json.markdown)).toEqual(['content']);
    expect(we.json.markdown.content).toContain('**【待办】整改落实**');

    expect(robot.on('/ding')).toHaveLength(1);
    const [ding] = robot.on('/ding');
    expect(ding.query.get('access_token')).toBe('tok9876');
    const timestamp = ding.query.get('timestamp')!;
    // Real time, not the service clock: DingTalk refuses a signature more than an hour off.
    expect(Math.abs(Number(timestamp) - t.wallClock.now())).toBeLessThan(10 * 60_000);
    expect(ding.query.get('sign')).toBe(createHmac('sha256', 'SECabc').update(`${timestamp}\nSECabc`).digest('base64'));
    expect(ding.json).toEqual({
      msgtype: 'markdown',
      markdown: { title: '整改落实', text: expect.stringContaining('#### 【待办】整改落实') },
    });

    const rows = await outbox(`task:${taskId}`);
    expect(rows.map((r: any) => [r.kind, r.status, r.attempts])).toEqual([
      ['dingtalk', 'sent', 1],
      ['email', 'sent', 1],
      ['inapp', 'sent', 0],
      ['wecom', 'sent', 1],
    ]);

    // Enqueuing the same event again writes nothing and sends nothing.
    const again = await t.app.get(NotifyService).enqueue({
      key: `task:${taskId}`,
      kind: 'task',
      unitCodes: ['HBJ'],
      personIds: [personId],
      title: 'x',
      text: 'y',
      link: null,
    });
    expect(again).toBe(0);
    await drain();
    expect(smtp.mails).toHaveLength(1);
    expect(robot.requests).toHaveLength(2);
  });

  it('other modules enqueue reminders for persons and roles, with absolute links', async () => {
    await channel({ ownerType: 'role', ownerCode: 'office', kind: 'wecom', target: robot.url('/office') }).expect(201);
    const n = await t.app.get(NotifyService).enqueue({
      key: 'reminder:P-9:5d',
      kind: 'reminder',
      unitCodes: [],
      personIds: [personId],
      roles: ['office'],
      title: 'P-9 临近期限',
      text: '距整改时限还有5个工作日',
      link: '/api/problems/P-9',
    });
    expect(n).toBe(2);
    await drain();
    expect(robot.on('/office')).toHaveLength(1);
    expect(robot.on('/office')[0].json.markdown.content).toContain(
      '[查看详情](https://duban.example.gov.cn/api/problems/P-9)',
    );
    expect(robot.on('/ding')).toHaveLength(2);
    expect(robot.on('/ding')[1].json.markdown.title).toBe('P-9 临近期限');
  });

  it('a task assigned to a person (by person id, or by the username of their account) reaches that person only', async () => {
    await t.db.query(
      `INSERT INTO account (id, username, password_hash, role, person_id, unit_code, created_at) VALUES (gen_random_uuid(), 'zhangsan', 'x', 'unit', $1, 'HBJ', now())`,
      [personId],
    );
    const before = robot.on('/ding').length;
    for (const who of [personId, 'zhangsan', 'nobody']) await t.engine.startProcess('assigned', { variables: { who } });
    await drain();
    const got = robot.on('/ding').slice(before);
    expect(got.map((r) => r.json.markdown.title)).toEqual(['现场核查', '现场核查']);
    expect(robot.on('/wecom')).toHaveLength(1); // not the unit's robot
  });

  it('a failing robot is retried after 1 min, 5 min, 30 min and 2 h, then shown as failing; a retry sends it', async () => {
    const broken = (
      await channel({ ownerType: 'unit', ownerCode: 'ZJJ', kind: 'wecom', target: robot.url('/broken') }).expect(201)
    ).body;
    const refusing = (
      await channel({ ownerType: 'unit', ownerCode: 'ZJJ', kind: 'dingtalk', target: robot.url('/refusing') }).expect(
        201,
      )
    ).body;
    const inst = await t.engine.startProcess('notified', { businessKey: 'N-2', variables: { unit: 'ZJJ' } });
    const key = `task:${await taskOf(inst.id)}`;
    const calls = () => robot.on('/broken').length;

    await drain();
    expect(calls()).toBe(1);
    const [, first] = await outbox(key);
    // The status and a fixed message: never the reply's text.
    expect(first).toMatchObject({
      kind: 'wecom',
      status: 'pending',
      attempts: 1,
      last_error: 'HTTP 500：机器人接口未接受消息',
    });
    expect(new Date(first.next_attempt_at).getTime()).toBe(t.clock.now() + MINUTE);

    const waits = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR];
    for (const [i, wait] of waits.entries()) {
      t.clock.add(wait - 1000);
      await drain();
      expect(calls()).toBe(i + 1); // not yet
      t.clock.add(1000);
      await drain();
      expect(calls()).toBe(i + 2);
    }
    t.clock.add(24 * HOUR);
    await drain();
    expect(calls()).toBe(5);
    expect(robot.on('/refusing')).toHaveLength(5);

    const channels = (await t.http.get('/api/notify/channels').expect(200)).body;
    const failedWith = (lastError: string) => ({ failed: 1, pending: 0, lastError });
    expect(channels.find((c: any) => c.id === broken.id)).toMatchObject(failedWith('HTTP 500：机器人接口未接受消息'));
    expect(channels.find((c: any) => c.id === refusing.id)).toMatchObject(
      failedWith('errcode 310000：机器人拒绝了消息'),
    );
    expect(channels.find((c: any) => c.kind === 'email' && c.ownerCode === 'HBJ')).toMatchObject({
      failed: 0,
      pending: 0,
      sent: 1,
      lastError: null,
    });

    const failed = (await t.http.get('/api/notify/outbox?status=failed').expect(200)).body;
    expect(failed).toHaveLength(2);
    const row = failed.find((f: any) => f.channel.id === broken.id);
    const lastError = 'HTTP 500：机器人接口未接受消息';
    expect(row).toMatchObject({ status: 'failed', attempts: 5, eventKey: key, title: '整改落实', lastError });

    robot.respond = () => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } });
    const retried = (await t.http.post(`/api/notify/outbox/${row.id}/retry`).expect(200)).body;
    expect(retried.status === 'pending' || retried.status === 'sending' || retried.status === 'sent').toBe(true);
    await drain();
    expect(calls()).toBe(6);
    expect((await t.http.get(`/api/notify/outbox?channelId=${broken.id}`).expect(200)).body[0]).toMatchObject({
      status: 'sent',
      lastError: null,
    });
    await t.http.post(`/api/notify/outbox/${row.id}/retry`).expect(409);
    await t.http.post(`/api/notify/outbox/00000000-0000-4000-8000-000000000000/retry`).expect(404);
  });

  it('a message claimed by a node that died is sent again only after its lease runs out', async () => {
    await channel({ ownerType: 'unit', ownerCode: 'SLJ', kind: 'wecom', target: robot.url('/slj') }).expect(201);
    const svc = t.app.get(NotifyService);
    await t.db.transaction(async (m) => {
      await svc.enqueue(
        {
          key: 'notice:slj-1',
          kind: 'notice',
          unitCodes: ['SLJ'],
          personIds: [],
          title: '督办单',
          text: '请于5个工作日内报送整改情况',
          link: null,
        },
        m,
      );
      // As if another node had claimed it a moment ago and stopped before marking it.
      await m.query(
        `UPDATE notify_outbox SET status = 'sending', attempts = 1, claim = gen_random_uuid(), lease_until = $1, next_attempt_at = $1 WHERE event_key = 'notice:slj-1'`,
        [new Date(t.clock.now() + 2 * MINUTE)],
      );
    });
    await drain();
    expect(robot.on('/slj')).toHaveLength(0);
    t.clock.add(2 * MINUTE);
    await drain();
    await drain();
    expect(robot.on('/slj')).toHaveLength(1);
    const [row] = await outbox('notice:slj-1');
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('e-mail refused by the server is a failure with the server’s reason; a disabled channel gets nothing new', async () => {
    const mail = (
      await channel({ ownerType: 'unit', ownerCode: 'SLJ', kind: 'email', target: 'slj@example.gov.cn' }).expect(201)
    ).body;
    smtp.refuse = 'mailbox unavailable';
    await t.app.get(NotifyService).enqueue({
      key: 'summons:slj',
      kind: 'summons',
      unitCodes: ['SLJ'],
      personIds: [],
      title: '约谈通知',
      text: '3月10日上午9时',
      link: null,
    });
    await drain();
    smtp.refuse = null;
    const email = (await outbox('summons:slj')).find((r: any) => r.kind === 'email');
    expect(email).toMatchObject({ status: 'pending', attempts: 1 });
    expect(email.last_error).toMatch(/mailbox unavailable/);

    await t.http
      .patch(`/api/notify/channels/${mail.id}`)
      .send({ enabled: false })
      .expect(200)
      .expect((r) => expect(r.body.enabled).toBe(false));
    t.clock.add(MINUTE);
    await drain();
    expect((await outbox('summons:slj')).find((r: any) => r.kind === 'email')).toMatchObject({
      status: 'failed',
      last_error: 'the channel was disabled before the message was sent',
    });
    const n = await t.app.get(NotifyService).enqueue({
      key: 'bulletin:2026-03',
      kind: 'bulletin',
      unitCodes: ['SLJ'],
      personIds: [],
      title: '3月通报',
      text: '…',
      link: null,
    });
    expect(n).toBe(1); // the WeCom robot only
  });

  it('in-app messages: the person sees theirs and their unit’s, once each, and marks them read', async () => {
    await channel({ ownerType: 'person', ownerId: personId, kind: 'inapp' }).expect(201);
    const inbox = t.app.get(NotifyInboxService);
    const user = {
      accountId: 'acc-zhangsan',
      username: 'zhangsan',
      role: 'unit' as const,
      personId,
      personName: '张三',
      unitCode: 'HBJ',
    };
    await t.app.get(NotifyService).enqueue({
      key: 'reminder:both',
      kind: 'reminder',
      unitCodes: ['HBJ'],
      personIds: [],
      title: '请报送月度进展',
      text: '3月进展',
      link: null,
    });
    const before = await inbox.mine(user);
    expect(before.items.map((i) => i.title)).toEqual(['请报送月度进展', '整改落实']);
    expect(before.unread).toBe(2);
    await inbox.read(user, before.items[0].id);
    const after = await inbox.mine(user);
    expect(after.unread).toBe(1);
    expect(after.items[0]).toMatchObject({ title: '请报送月度进展', read: true });
    expect((await inbox.mine({ ...user, accountId: 'acc-other', personId: null, unitCode: 'ZJJ' })).items).toEqual([]);
    await expect(inbox.read({ ...user, unitCode: 'ZJJ', personId: null }, before.items[0].id)).rejects.toMatchObject({
      status: 404,
    });
    const anonymous = (await t.http.get('/api/notify/mine').expect(200)).body;
    expect(anonymous.items).toBeInstanceOf(Array);
  });

  it('refuses channels that cannot work', async () => {
    await channel({ ownerType: 'unit', ownerCode: 'NOPE', kind: 'email', target: 'a@b.cn' }).expect(422);
    await channel({ ownerType: 'unit', ownerCode: 'HBJ', kind: 'email', target: 'not-an-address' }).expect(422);
    await channel({ ownerType: 'unit', ownerCode: 'HBJ', kind: 'wecom', target: 'ftp://robot.example/send' }).expect(
      422,
    );
    await channel({ ownerType: 'unit', ownerCode: 'HBJ', kind: 'wecom', target: 'file:///etc/passwd' }).expect(422);
    await channel({ ownerType: 'unit', ownerCode: 'HBJ', kind: 'wecom', target: robot.url('/x'), secret: 's' }).expect(
      422,
    );
    await channel({ ownerType: 'person', ownerId: '00000000-0000-4000-8000-000000000000', kind: 'inapp' }).expect(422);
    await channel({ ownerType: 'role', ownerCode: 'boss', kind: 'inapp' }).expect(422);
    await channel({ ownerType: 'unit', ownerCode: 'HBJ', kind: 'sms', target: '1380000' }).expect(422);
    await t.http
      .patch('/api/notify/channels/00000000-0000-4000-8000-000000000000')
      .send({ enabled: false })
      .expect(404);
    await t.http.get('/api/notify/outbox?status=lost').expect(422);
  });
});
