import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PinnedTarget } from './webhook-guard.js';

/** The most of a reply read: enough for the robots' `{"errcode":…,"errmsg":…}`, never a whole page. */
const MAX_REPLY_BYTES = 64 * 1024;

export interface WebhookReply {
  status: number;
  /** The start of the reply, for its `errcode` only: it is never stored or shown. */
  text: string;
}

/** A failure to reach the robot, as a fixed message with the network's error code (no reply text). */
export class WebhookUnreachable extends Error {}

/**
 * POSTs JSON to a checked webhook: the connection goes to `target.address` and nowhere else (the host name
 * still names the TLS certificate and the Host header), redirects are not followed, and the whole exchange
 * ends within `timeoutMs`.
 */
export function postPinned(target: PinnedTarget, body: unknown, timeoutMs: number): Promise<WebhookReply> {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  type AllCallback = (e: null, a: { address: string; family: number }[]) => void;
  const pinned: LookupFunction = (_host, options, callback) => {
    const { address, family } = target;
    if ((options as { all?: boolean }).all) (callback as AllCallback)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const send = target.url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length },
      lookup: pinned,
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new WebhookUnreachable(`${timeoutMs / 1000} 秒内无应答`)), timeoutMs);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size >= MAX_REPLY_BYTES) return;
        chunks.push(c);
        size += c.length;
        if (size >= MAX_REPLY_BYTES) res.destroy();
      });
      const done = () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).subarray(0, MAX_REPLY_BYTES).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text });
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.on('error', (e: Error & { code?: string }) => {
      clearTimeout(timer);
      reject(e instanceof WebhookUnreachable ? e : new WebhookUnreachable(`连接失败（${e.code ?? 'network error'}）`));
    });
    req.end(payload);
  });
}
