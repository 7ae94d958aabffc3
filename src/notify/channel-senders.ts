import { createHmac } from 'node:crypto';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer from 'nodemailer';
import { WallClock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { cleanText } from '../common/control-chars.js';
import type { ChannelRow, NotifyPayload } from './notify.types.js';
import { KIND_LABEL, markdown } from './robot-markdown.js';
import { WebhookGuard, WebhookRefused, type PinnedTarget } from './webhook-guard.js';
import { postPinned, type WebhookReply } from './webhook-post.js';

const TIMEOUT_MS = 10_000;

/** Delivers one message over one channel; throws with a readable reason on any failure. */
@Injectable()
export class ChannelSenders implements OnApplicationShutdown {
  private mailer: ReturnType<typeof nodemailer.createTransport> | null = null;

  constructor(
    private readonly config: AppConfig,
    /** DingTalk refuses a signature whose timestamp is more than an hour from real time. */
    private readonly clock: WallClock,
    private readonly guard: WebhookGuard,
  ) {}

  async send(channel: ChannelRow, payload: NotifyPayload): Promise<void> {
    const link = this.absolute(payload.link);
    switch (channel.kind) {
      case 'email':
        return this.email(channel.target!, payload, link);
      case 'wecom':
        return this.post(channel.target!, { msgtype: 'markdown', markdown: { content: markdown(payload, link) } });
      case 'dingtalk': {
        const url = dingTalkUrl(channel.target!, channel.secret, this.clock.now());
        const text = markdown(payload, link, true);
        return this.post(url, { msgtype: 'markdown', markdown: { title: cleanText(payload.title), text } });
      }
      case 'inapp':
        return;
    }
  }

  /** POST to a robot: the address checked at this moment (see WebhookGuard), the outcome a fixed message. */
  private async post(target: string, body: unknown): Promise<void> {
    let pinned: PinnedTarget;
    try {
      pinned = await this.guard.resolve(target);
    } catch (e) {
      throw e instanceof WebhookRefused ? new Error(`已拒绝发送：${e.message}`) : e;
    }
    const failure = replyFailure(await postPinned(pinned, body, TIMEOUT_MS));
    if (failure) throw new Error(failure);
  }

  private absolute(link: string | null): string | null {
    if (!link) return null;
    if (/^https?:\/\//.test(link)) return link;
    return this.config.DUBAN_PUBLIC_URL
      ? this.config.DUBAN_PUBLIC_URL.replace(/\/+$/, '') + (link.startsWith('/') ? link : `/${link}`)
      : link;
  }

  private async email(to: string, p: NotifyPayload, link: string | null): Promise<void> {
    if (!this.config.DUBAN_SMTP_URL) throw new Error('DUBAN_SMTP_URL is not set: e-mail cannot be sent');
    this.mailer ??= nodemailer.createTransport({
      url: this.config.DUBAN_SMTP_URL,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    } as any);
    const text = [p.text, link ? `\n查看：${link}` : ''].join('\n').trim();
    await this.mailer.sendMail({
      from: this.config.DUBAN_SMTP_FROM,
      to,
      subject: `【${KIND_LABEL[p.kind]}】${p.title}`,
      text,
    });
  }

  onApplicationShutdown(): void {
    this.mailer?.close();
  }
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

/**
 * What a robot's reply means: a non-2xx status or a non-zero `errcode` is a failure, told by the status or the
 * code and a fixed message. The reply's text is never kept: the office sees it, and it may come from anywhere.
 */
export function replyFailure(reply: WebhookReply): string | null {
  if (reply.status >= 300 && reply.status < 400) return `HTTP ${reply.status}：机器人接口要求重定向，重定向不跟随`;
  if (reply.status < 200 || reply.status >= 300) return `HTTP ${reply.status}：机器人接口未接受消息`;
  let json: { errcode?: unknown } | null = null;
  try {
    json = reply.text ? JSON.parse(reply.text) : null;
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object' || json.errcode === undefined || Number(json.errcode) === 0) return null;
  const code = Number(json.errcode);
  return `${Number.isSafeInteger(code) ? `errcode ${code}` : 'errcode 无效'}：机器人拒绝了消息`;
}
