import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config/app-config.js';
import { WebhookGuard, WebhookRefused, type Lookup } from './webhook-guard.js';
import { postPinned } from './webhook-post.js';

const config = (hosts?: string) => loadConfig({ NODE_ENV: 'test', ...(hosts ? { DUBAN_WEBHOOK_HOSTS: hosts } : {}) });

describe('WebhookGuard', () => {
  it('lets only the vendors’ robot hosts through by default, on their default ports', async () => {
    const lookup: Lookup = async () => [{ address: '101.91.42.229', family: 4 }];
    const guard = new WebhookGuard(config(), lookup);
    const pinned = { address: '101.91.42.229', family: 4 };
    await expect(guard.resolve('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?k=1')).resolves.toMatchObject(pinned);
    await expect(guard.resolve('https://oapi.dingtalk.com/robot/send?access_token=t')).resolves.toMatchObject(pinned);
    await expect(guard.resolve('https://qyapi.weixin.qq.com:8443/x')).rejects.toThrow(/端口 8443/);
    await expect(guard.resolve('https://evil.example/x')).rejects.toThrow(/不在 DUBAN_WEBHOOK_HOSTS/);
    await expect(guard.resolve('http://127.0.0.1/x')).rejects.toThrow(/127\.0\.0\.1 是回环地址/);
    await expect(guard.resolve('ftp://qyapi.weixin.qq.com/x')).rejects.toThrow(/http 或 https/);
  });

  it('resolves at every send: a name that rebinds to an inside address is refused the next time', async () => {
    const v4 = (address: string) => ({ address, family: 4 });
    const mapped = { address: '::ffff:169.254.169.254', family: 6 };
    const answers = [[v4('101.91.42.229')], [v4('127.0.0.1')], [v4('101.91.42.229'), v4('10.0.0.1')], [mapped]];
    let calls = 0;
    const guard = new WebhookGuard(config('robot.example.cn'), async () => answers[calls++]);
    await expect(guard.checkTarget('https://robot.example.cn/send')).resolves.toBeUndefined();
    const loopback = '主机 robot.example.cn 解析为 127.0.0.1（回环地址），机器人地址不能指向内部网络';
    await expect(guard.resolve('https://robot.example.cn/send')).rejects.toThrow(loopback);
    await expect(guard.resolve('https://robot.example.cn/send')).rejects.toThrow(/10\.0\.0\.1（私有网络地址）/);
    await expect(guard.resolve('https://robot.example.cn/send')).rejects.toThrow(/云主机元数据地址/);
    expect(calls).toBe(4);
  });

  it('fails the send, not the creation, when the name does not resolve', async () => {
    const notFound = Object.assign(new Error('x'), { code: 'ENOTFOUND' });
    const guard = new WebhookGuard(config('robot.example.cn'), async () => Promise.reject(notFound));
    await expect(guard.checkTarget('https://robot.example.cn/send')).resolves.toBeUndefined();
    const refused = new WebhookRefused('无法解析主机 robot.example.cn（ENOTFOUND）');
    await expect(guard.resolve('https://robot.example.cn/send')).rejects.toThrow(refused);
  });

  it('connects to the address it checked, never looking the name up again', async () => {
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(`${req.headers.host} ${req.url}`);
      res.end('{"errcode":0}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      // robot.invalid resolves nowhere: only the pinned address can have carried the request.
      const url = new URL(`http://robot.invalid:${port}/send?key=k`);
      const target = { url, address: '127.0.0.1', family: 4 as const };
      const reply = await postPinned(target, { msgtype: 'text' }, 5000);
      expect(reply).toEqual({ status: 200, text: '{"errcode":0}' });
      expect(seen).toEqual([`robot.invalid:${port} /send?key=k`]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
