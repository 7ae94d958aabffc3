import { createHmac } from 'node:crypto';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer from 'nodemailer';
import { WallClock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import type { ChannelRow, NotifyPayload } from './notify.types.js';

const TIMEOUT_MS = 10_000;
const KIND_LABEL: Record<NotifyPayload['kind'], string> = { task: '待办', reminder: '催办', notice: '督办', summons: '约谈', bulletin: '通报' };

/** Delivers one message over one channel; throws with a readable reason on any failure. */
@Injectable()
export class ChannelSenders implements OnApplicationShutdown {
  private mailer: ReturnType<typeof nodemailer.createTransport> | null = null;

  constructor(
    private readonly config: AppConfig,
    /** DingTalk refuses a signature whose timestamp is more than an hour from real time. */
    private readonly clock: WallClock,
  ) {}

  async send(channel: ChannelRow, payload: NotifyPayload): Promise<void> {
    const link = this.absolute(payload.link);
    switch (channel.kind) {
      case 'email':
        return this.email(channel.target!, payload, link);
      case 'wecom':
        return postJson(channel.target!, { msgtype: 'markdown', markdown: { content: markdown(payload, link) } });
      case 'dingtalk':
        return postJson(dingTalkUrl(channel.target!, channel.secret, this.clock.now()), { msgtype: 'markdown', markdown: { title: payload.title, text: markdown(payload, link, true) } });
      case 'inapp':
        return;
    }
  }

  private absolute(link: string | null): string | null {
    if (!link) return null;
    if (/^https?:\/\//.test(link)) return link;
    return this.config.DUBAN_PUBLIC_URL ? this.config.DUBAN_PUBLIC_URL.replace(/\/+$/, '') + (link.startsWith('/') ? link : `/${link}`) : link;
  }

  private async email(to: string, p: NotifyPayload, link: string | null): Promise<void> {
    if (!this.config.DUBAN_SMTP_URL) throw new Error('DUBAN_SMTP_URL is not set: e-mail cannot be sent');
    this.mailer ??= nodemailer.createTransport({ url: this.config.DUBAN_SMTP_URL, connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS } as any);
    const text = [p.text, link ? `\n查看：${link}` : ''].join('\n').trim();
    await this.mailer.sendMail({ from: this.config.DUBAN_SMTP_FROM, to, subject: `【${KIND_LABEL[p.kind]}】${p.title}`, text });
  }

  onApplicationShutdown(): void {
    this.mailer?.close();
  }
}

/** The robot's markdown: a bold title (a heading for DingTalk), the text, the link. */
export function markdown(p: NotifyPayload, link: string | null, heading = false): string {
  const title = heading ? `#### 【${KIND_LABEL[p.kind]}】${p.title}` : `**【${KIND_LABEL[p.kind]}】${p.title}**`;
  const body = p.text.split('\n').map((l) => `> ${l}`).join('\n');
  return [title, body, link ? `[查看详情](${link})` : ''].filter(Boolean).join('\n\n');
}

/** DingTalk's signed URL: `timestamp` and `sign` = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)). */
export function dingTalkUrl(target: string, secret: string | null, now: number): string {
  if (!secret) return target;
  const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64');
  const url = new URL(target);
  url.searchParams.set('timestamp', String(now));
  url.searchParams.set('sign', sign);
  return url.toString();
}

/** POST JSON; a non-2xx answer, or a JSON answer with a non-zero `errcode`, is a failure. */
export async function postJson(url: string, body: unknown): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    throw new Error(err.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : `${err.message}${err.cause ? `: ${err.cause.code ?? err.cause.message}` : ''}`);
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw new Error(`HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
  let json: { errcode?: unknown; errmsg?: unknown } | null = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    return;
  }
  if (json && typeof json === 'object' && json.errcode !== undefined && Number(json.errcode) !== 0) throw new Error(`errcode ${json.errcode}: ${String(json.errmsg ?? '').slice(0, 200)}`);
}
