import { randomUUID } from 'node:crypto';
import { NotifyService } from '../src/notify/notify.service.js';
import { OutboxSender } from '../src/notify/outbox-sender.js';
import { HttpReceiver } from './support/http-receiver.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Robot webhooks cannot reach inside the network. The local receiver of the notification tests listens on
 * 127.0.0.1; here the operator has not named it, so it gets nothing, whichever spelling of its address a
 * channel uses, at creation (400 naming the field) or at send (a channel stored before, an address changed).
 * Only `trusted`, named literally in DUBAN_WEBHOOK_HOSTS, is reached; a name allowed in the setting that
 * resolves to loopback (`localhost`) is still refused, and a redirect from `trusted` is not followed.
 */
describe('webhooks that cannot reach inside', () => {
  let t: TestApp;
  let inside: HttpReceiver;
  let trusted: HttpReceiver;
  const SECRET = 'db-password=hunter2 <html>internal admin page</html>';

  beforeAll(async () => {
    inside = await HttpReceiver.start();
    trusted = await HttpReceiver.start();
    trusted.respond = (r) => {
      if (r.path === '/redirect') return { status: 302, body: '', headers: { location: inside.url('/stolen') } };
      if (r.path === '/leaky') return { status: 500, body: SECRET };
      if (r.path === '/leaky-errcode') return { status: 200, body: { errcode: 40001, errmsg: SECRET } };
      return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
    };
    t = await startTestApp({
      DUBAN_WEBHOOK_HOSTS: `qyapi.weixin.qq.com,oapi.dingtalk.com, 127.0.0.1:${trusted.port}, localhost:${inside.port}`,
    });
    await t.http.post('/api/units').send({ code: 'HBJ', name: '市环保局' }).expect(201);
  });
  afterAll(async () => {
    await t.close();
    await inside.close();
    await trusted.close();
  });

  const create = (target: string, kind = 'wecom') =>
    t.http.post('/api/notify/channels').send({ ownerType: 'unit', ownerCode: 'HBJ', kind, target });
  /** A channel as an older version (or a changed DNS answer) could have left it: straight into the table. */
  async function stored(target: string, kind = 'wecom'): Promise<string> {
    const id = randomUUID();
    await t.db.query(
      `INSERT INTO notify_channel (id, owner_type, owner_code, kind, target, enabled, created_at)
       VALUES ($1, 'unit', 'HBJ', $2, $3, true, now())`,
      [id, kind, target],
    );
    return id;
  }
  async function sendThrough(channelIds: string[]): Promise<Map<string, string>> {
    const key = `probe:${randomUUID()}`;
    const event = { key, kind: 'notice' as const, title: '督办单', text: '请报送', link: null };
    await t.app.get(NotifyService).enqueue({ ...event, unitCodes: ['HBJ'], personIds: [] });
    await t.app.get(OutboxSender).drain();
    const rows: { channel_id: string; status: string; last_error: string | null }[] = await t.db.query(
      `SELECT channel_id, status, last_error FROM notify_outbox WHERE event_key = $1 AND channel_id = ANY($2)`,
      [key, channelIds],
    );
    expect(rows).toHaveLength(channelIds.length);
    return new Map(rows.map((r) => [r.channel_id, `${r.status} ${r.last_error}`]));
  }
  async function disableAll(): Promise<void> {
    await t.db.query(`UPDATE notify_channel SET enabled = false`);
  }

  const P = () => inside.port;
  const forms = (): [string, RegExp][] => [
    [`http://127.0.0.1:${P()}/x`, /回环地址/],
    [`http://[::1]:${P()}/x`, /回环地址/],
    [`http://0x7f000001:${P()}/x`, /回环地址/],
    [`http://2130706433:${P()}/x`, /回环地址/],
    [`http://0177.0.0.1:${P()}/x`, /回环地址/],
    [`http://127.1:${P()}/x`, /回环地址/],
    [`http://[::ffff:127.0.0.1]:${P()}/x`, /回环地址/],
    [`http://0.0.0.0:${P()}/x`, /未指定地址/],
    [`http://169.254.169.254/latest/meta-data/`, /元数据地址/],
    [`http://[fd00:ec2::254]/latest/meta-data/`, /元数据地址/],
    [`http://100.100.100.200/latest/meta-data/`, /元数据地址/],
    [`http://10.0.0.5:5432/`, /私有网络地址/],
    [`http://172.16.3.4/`, /私有网络地址/],
    [`http://192.168.1.1/`, /私有网络地址/],
    [`http://100.64.0.1/`, /运营商共享地址/],
    [`http://[fc00::1]/`, /私有网络地址/],
    [`http://[fe80::1]/`, /链路本地地址/],
    [`http://169.254.10.10/`, /链路本地地址/],
    [`http://224.0.0.1/`, /组播地址/],
    // Named in the setting, yet it resolves to loopback: a name never opens the inside.
    [`http://localhost:${P()}/x`, /localhost 解析为 (127\.0\.0\.1|::1)（回环地址）/],
    // The vendors' hosts on another port (a database's), and look-alike names.
    ['https://qyapi.weixin.qq.com:5432/cgi-bin/webhook/send?key=k', /端口 5432 不在 DUBAN_WEBHOOK_HOSTS 允许之列/],
    ['https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send', /不在 DUBAN_WEBHOOK_HOSTS 允许的机器人主机之列/],
    ['https://robot.example.cn/send', /不在 DUBAN_WEBHOOK_HOSTS 允许的机器人主机之列/],
  ];

  it('refuses every internal address form at creation and at update, with a 400 naming the target', async () => {
    for (const [target, why] of forms()) {
      for (const kind of ['wecom', 'dingtalk']) {
        const res = await create(target, kind);
        expect([target, res.status, res.body.error]).toEqual([target, 400, 'WEBHOOK_REFUSED']);
        expect(res.body.message).toMatch(/^target：/);
        expect([target, why.test(res.body.message)]).toEqual([target, true]);
        expect(res.body.fields).toEqual([{ field: 'target', message: expect.any(String) }]);
      }
    }
    const ok = (await create(trusted.url('/ok?key=k1')).expect(201)).body;
    for (const [target] of forms().slice(0, 3)) {
      const res = await t.http.patch(`/api/notify/channels/${ok.id}`).send({ target }).expect(400);
      expect(res.body.message).toMatch(/^target：/);
    }
    expect((await t.db.query(`SELECT count(*)::int AS n FROM notify_channel`))[0].n).toBe(1);
    await disableAll();
  });

  it('refuses them again at send, when a stored channel points inside: nothing reaches the listener', async () => {
    const ids = new Map<string, string>();
    for (const [target] of forms()) ids.set(await stored(target, 'wecom'), target);
    // DingTalk's signed URL too.
    ids.set(await stored(`http://127.0.0.1:${P()}/ding?access_token=t`, 'dingtalk'), 'dingtalk loopback');
    const outcome = await sendThrough([...ids.keys()]);
    const refused = expect.stringMatching(/^pending 已拒绝发送：/);
    for (const [id, target] of ids) expect([target, outcome.get(id)]).toEqual([target, refused]);
    expect(inside.requests).toEqual([]);
    await disableAll();
  });

  it('reaches the address the operator named, follows no redirect, and never keeps the reply', async () => {
    const ok = await stored(trusted.url('/ok?key=k1'));
    const redirect = await stored(trusted.url('/redirect'));
    const leaky = await stored(trusted.url('/leaky'));
    const errcode = await stored(trusted.url('/leaky-errcode'));
    const outcome = await sendThrough([ok, redirect, leaky, errcode]);
    expect(outcome.get(ok)).toBe('sent null');
    expect(outcome.get(redirect)).toBe('pending HTTP 302：机器人接口要求重定向，重定向不跟随');
    expect(outcome.get(leaky)).toBe('pending HTTP 500：机器人接口未接受消息');
    expect(outcome.get(errcode)).toBe('pending errcode 40001：机器人拒绝了消息');
    expect(trusted.on('/redirect')).toHaveLength(1);
    expect(inside.requests).toEqual([]);

    const channels = (await t.http.get('/api/notify/channels').expect(200)).body;
    const shown = JSON.stringify([channels, (await t.http.get('/api/notify/outbox').expect(200)).body]);
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('internal admin');
    const kept = await t.db.query(
      `SELECT last_error FROM notify_outbox WHERE last_error LIKE '%hunter2%' OR last_error LIKE '%html%'`,
    );
    expect(kept).toEqual([]);
    await disableAll();
  });

  it('escapes problem text in the robot markdown as it goes over the wire', async () => {
    const id = await stored(trusted.url('/md'));
    await t.app.get(NotifyService).enqueue({
      key: `md:${id}`,
      kind: 'notice',
      unitCodes: ['HBJ'],
      personIds: [],
      link: '/api/problems/P-1)[x](https://evil.example',
      title: '**紧急** [点此](https://evil.example)',
      text: '# 已销号\n> 伪造引用 <font color="warning">红</font> <@all>\n- 列表',
    });
    await t.app.get(OutboxSender).drain();
    const [got] = trusted.on('/md');
    const content: string = got.json.markdown.content;
    expect(content).toContain('**【督办】\\*\\*紧急\\*\\* \\[点此\\](https://evil.example)**');
    expect(content).toContain('> \\# 已销号\n> ＞ 伪造引用 ＜font color="warning"＞红＜/font＞ ＜@all＞\n> \\- 列表');
    expect(content).not.toMatch(/<font|<@/);
    expect(content).toContain('[查看详情](/api/problems/P-1%29%5Bx%5D%28https://evil.example)');
  });
});
