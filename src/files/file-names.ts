import { cleanText } from '../common/control-chars.js';

/**
 * A client's file name made safe to keep as data and to echo in a header: the last path segment only,
 * no control or bidirectional-override characters, no leading dots, at most 200 characters (the
 * extension kept). Never used as a storage path: the bytes live under a generated id.
 */
export function safeFileName(raw: string | undefined | null): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  name = cleanText(name);
  name = name.trim().replace(/^\.+/, '').trim();
  if ([...name].length > 200) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = [...name.slice(0, name.length - ext.length)].slice(0, 200 - ext.length).join('') + ext;
  }
  return name || 'file';
}

/**
 * `Content-Disposition: attachment` with an ASCII fallback and the real name in RFC 5987 form
 * (`filename*=UTF-8''…`), percent-encoding everything outside RFC 5987's attr-char.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
