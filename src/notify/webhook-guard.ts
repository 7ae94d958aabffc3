import { lookup as dnsLookup } from 'node:dns/promises';
import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  ADDRESS_CLASS_LABEL,
  classifyAddress,
  isAddressLiteral,
  parseAllowedHosts,
  type AllowedHost,
} from '../common/net-address.js';
import { AppConfig } from '../config/app-config.js';

/** A webhook the service may call: its URL and the one address, checked, that the connection must go to. */
export interface PinnedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Why a webhook address is refused, in words the office reads (a channel's error, a 400). */
export class WebhookRefused extends Error {}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true });
/** The resolver, replaceable in specs; the system's by default. */
export const WEBHOOK_LOOKUP = Symbol('WEBHOOK_LOOKUP');
/** How long a channel's creation waits for the name to resolve before leaving the check to the send. */
const CREATE_LOOKUP_MS = 3000;

/**
 * Where robot webhooks may go. A host must be named in DUBAN_WEBHOOK_HOSTS (by default the vendors' robot
 * hosts), on its scheme's default port unless the entry names a port. A name is resolved at every send and
 * each of its addresses must be public — never loopback, private, link-local, metadata, multicast or
 * unspecified — and the request goes to the address checked, so a second lookup cannot rebind it. Only an
 * address written literally in the setting (an operator's explicit choice) may be an internal one.
 */
@Injectable()
export class WebhookGuard {
  private readonly hosts: AllowedHost[];
  private readonly lookup: Lookup;

  constructor(config: AppConfig, @Optional() @Inject(WEBHOOK_LOOKUP) lookup?: Lookup) {
    this.hosts = parseAllowedHosts(config.DUBAN_WEBHOOK_HOSTS).hosts;
    this.lookup = lookup ?? systemLookup;
  }

  /** At a channel's creation or change: refused when the host is not allowed or resolves inside the network. */
  async checkTarget(target: string): Promise<void> {
    const { url, literal } = this.allowed(target);
    if (literal) return;
    const addresses = await Promise.race([
      this.lookup(url.hostname).catch(() => null),
      new Promise<null>((r) => setTimeout(() => r(null), CREATE_LOOKUP_MS).unref()),
    ]);
    // A name that does not resolve now is checked again at each send, where it fails visibly.
    if (addresses) this.publicAddress(url, addresses);
  }

  /** At each send: the URL and the address to connect to, or WebhookRefused. */
  async resolve(target: string): Promise<PinnedTarget> {
    const { url, literal } = this.allowed(target);
    const bare = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (literal) return { url, address: bare, family: bare.includes(':') ? 6 : 4 };
    let addresses: { address: string; family: number }[];
    try {
      addresses = await this.lookup(url.hostname);
    } catch (e) {
      throw new WebhookRefused(`无法解析主机 ${url.hostname}（${(e as { code?: string }).code ?? 'DNS 错误'}）`);
    }
    return this.publicAddress(url, addresses);
  }

  private allowed(target: string): { url: URL; literal: boolean } {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new WebhookRefused('不是有效的网址');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new WebhookRefused('机器人地址只能是 http 或 https');
    if (url.username || url.password) throw new WebhookRefused('机器人地址不能包含用户名或密码');
    const literal = isAddressLiteral(url.hostname);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const named = this.hosts.filter((h) => h.hostname === url.hostname);
    if (named.some((h) => (h.port === null ? url.port === '' : h.port === port))) return { url, literal };
    const internal = literal ? classifyAddress(url.hostname) : null;
    if (internal)
      throw new WebhookRefused(`${url.hostname} 是${ADDRESS_CLASS_LABEL[internal]}，机器人地址不能指向内部网络`);
    if (named.length) throw new WebhookRefused(`主机 ${url.hostname} 的端口 ${port} 不在 DUBAN_WEBHOOK_HOSTS 允许之列`);
    throw new WebhookRefused(`主机 ${url.hostname} 不在 DUBAN_WEBHOOK_HOSTS 允许的机器人主机之列（${this.list()}）`);
  }

  private publicAddress(url: URL, addresses: { address: string; family: number }[]): PinnedTarget {
    if (!addresses.length) throw new WebhookRefused(`主机 ${url.hostname} 没有解析到地址`);
    for (const a of addresses) {
      const internal = classifyAddress(a.address);
      if (!internal) continue;
      throw new WebhookRefused(
        `主机 ${url.hostname} 解析为 ${a.address}（${ADDRESS_CLASS_LABEL[internal]}），机器人地址不能指向内部网络`,
      );
    }
    return { url, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
  }

  private list(): string {
    return this.hosts.map((h) => (h.port ? `${h.hostname}:${h.port}` : h.hostname)).join(', ') || '无';
  }
}
