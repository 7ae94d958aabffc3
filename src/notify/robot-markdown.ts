import { cleanText } from '../common/control-chars.js';
import type { NotifyPayload } from './notify.types.js';

export const KIND_LABEL: Record<NotifyPayload['kind'], string> = {
  task: '待办',
  reminder: '催办',
  notice: '督办',
  summons: '约谈',
  bulletin: '通报',
};

/**
 * Caller text (a problem's title, a unit's name, a reason) as literal text in WeCom's and DingTalk's markdown:
 * inline markup characters backslash-escaped, `<` and `>` as their full-width forms (neither robot has an
 * escape for its `<font>` and `<@userid>` tags), a block marker at the start of the line escaped, control
 * characters dropped. The result is one line.
 */
export function escapeMarkdown(text: string): string {
  return cleanText(text)
    .replace(/[\\`*_~[\]|]/g, '\\$&')
    .replace(/</g, '＜')
    .replace(/>/g, '＞')
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*)(\d+)([.)])/, '$1$2\\$3');
}

/** A link target that cannot close the `(…)` it sits in: http(s) or a path, with `()<>`, spaces and quotes encoded. */
export function markdownLink(link: string): string | null {
  const clean = cleanText(link).trim();
  if (!/^(https?:\/\/|\/)/i.test(clean)) return null;
  return encodeURI(decodeURISafe(clean)).replace(/[()'"\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeURISafe(s: string): string {
  try {
    return decodeURI(s);
  } catch {
    return s;
  }
}

/** The robot's markdown: a bold title (a heading for DingTalk), the text as a quote, the link. */
export function markdown(p: NotifyPayload, link: string | null, heading = false): string {
  const titleText = `【${KIND_LABEL[p.kind]}】${escapeMarkdown(p.title)}`;
  const title = heading ? `#### ${titleText}` : `**${titleText}**`;
  const body = p.text
    .split(/\r\n|[\n\r\u2028\u2029]/)
    .map((l) => `> ${escapeMarkdown(l)}`)
    .join('\n');
  const target = link ? markdownLink(link) : null;
  return [title, body, target ? `[查看详情](${target})` : ''].filter(Boolean).join('\n\n');
}
