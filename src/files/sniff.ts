import { inspectCfb } from './sniff-cfb.js';
import { inspectZip } from './sniff-zip.js';

/** What the bytes of a file are, whatever its name or the client's content type say. */
export interface Sniffed {
  /** A short name: jpeg, png, webp, heic, pdf, docx, xlsx, pptx, doc, xls, ppt, or what was found instead. */
  type: string;
  /** The MIME type served on download (or named in a refusal). */
  mime: string;
  allowed: boolean;
}

const ok = (type: string, mime: string): Sniffed => ({ type, mime, allowed: true });
const refused = (type: string, mime: string): Sniffed => ({ type, mime, allowed: false });

const OOXML: Record<string, Sniffed> = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml': ok(
    'docx',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml': ok(
    'xlsx',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml': ok(
    'pptx',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ),
  'application/vnd.ms-word.document.macroEnabled.main+xml': refused(
    'docm',
    'application/vnd.ms-word.document.macroEnabled.12',
  ),
  'application/vnd.ms-excel.sheet.macroEnabled.main+xml': refused(
    'xlsm',
    'application/vnd.ms-excel.sheet.macroEnabled.12',
  ),
  'application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml': refused(
    'pptm',
    'application/vnd.ms-powerpoint.presentation.macroEnabled.12',
  ),
};

const HEIC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

const starts = (b: Buffer, sig: number[] | string, at = 0) => {
  const bytes = typeof sig === 'string' ? Buffer.from(sig, 'latin1') : Buffer.from(sig);
  return b.length >= at + bytes.length && b.subarray(at, at + bytes.length).equals(bytes);
};

/** Decides by magic bytes (and, for zip and OLE2 containers, by what they hold). */
export function sniff(b: Buffer): Sniffed {
  if (b.length === 0) return refused('empty', 'application/x-empty');
  if (starts(b, [0xff, 0xd8, 0xff])) return ok('jpeg', 'image/jpeg');
  if (starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ok('png', 'image/png');
  if (starts(b, 'RIFF') && starts(b, 'WEBP', 8)) return ok('webp', 'image/webp');
  if (starts(b, 'ftyp', 4)) return isoMedia(b);
  if (starts(b, '%PDF-')) return ok('pdf', 'application/pdf');
  if (starts(b, [0x50, 0x4b, 0x03, 0x04])) return office(b);
  if (starts(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return legacyOffice(b);
  return other(b);
}

function isoMedia(b: Buffer): Sniffed {
  const boxSize = b.readUInt32BE(0);
  const end = Math.min(b.length, boxSize >= 16 ? boxSize : 16);
  const brands = [b.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(b.toString('latin1', at, at + 4));
  if (HEIC_BRANDS.has(brands[0]) || (['mif1', 'msf1'].includes(brands[0]) && brands.some((x) => HEIC_BRANDS.has(x))))
    return ok('heic', 'image/heic');
  if (brands.includes('avif')) return refused('avif', 'image/avif');
  if (brands[0].startsWith('qt')) return refused('quicktime', 'video/quicktime');
  return refused('mp4', 'video/mp4');
}

function office(b: Buffer): Sniffed {
  const zip = inspectZip(b);
  if (!zip) return refused('zip', 'application/zip');
  if (zip.names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n)))
    return refused('office-macro', 'application/vnd.ms-office.vbaProject');
  const main = zip.contentTypes ? mainContentType(zip.contentTypes) : null;
  if (main && OOXML[main]) return OOXML[main];
  if (zip.names.includes('mimetype') && zip.names.includes('content.xml'))
    return refused('opendocument', 'application/vnd.oasis.opendocument');
  if (zip.names.includes('AndroidManifest.xml')) return refused('apk', 'application/vnd.android.package-archive');
  if (zip.names.includes('META-INF/MANIFEST.MF')) return refused('jar', 'application/java-archive');
  return refused('zip', 'application/zip');
}

/** The content type of the main part: an Override naming one of the known main parts. */
function mainContentType(xml: string): string | null {
  for (const m of xml.matchAll(/<Override\b[^>]*?ContentType\s*=\s*"([^"]+)"/g)) if (OOXML[m[1]]) return m[1];
  return null;
}

function legacyOffice(b: Buffer): Sniffed {
  const names = inspectCfb(b);
  if (names?.includes('WordDocument')) return ok('doc', 'application/msword');
  if (names?.includes('Workbook') || names?.includes('Book')) return ok('xls', 'application/vnd.ms-excel');
  if (names?.includes('PowerPoint Document')) return ok('ppt', 'application/vnd.ms-powerpoint');
  return refused('ole2', 'application/x-ole-storage');
}

function other(b: Buffer): Sniffed {
  if (starts(b, 'MZ')) return refused('exe', 'application/x-msdownload');
  if (starts(b, [0x7f, 0x45, 0x4c, 0x46])) return refused('elf', 'application/x-executable');
  if (starts(b, [0xcf, 0xfa, 0xed, 0xfe]) || starts(b, [0xca, 0xfe, 0xba, 0xbe]))
    return refused('mach-o', 'application/x-mach-binary');
  if (starts(b, '#!')) return refused('script', 'text/x-shellscript');
  if (starts(b, 'GIF87a') || starts(b, 'GIF89a')) return refused('gif', 'image/gif');
  if (starts(b, 'BM')) return refused('bmp', 'image/bmp');
  if (starts(b, [0x49, 0x49, 0x2a, 0x00]) || starts(b, [0x4d, 0x4d, 0x00, 0x2a])) return refused('tiff', 'image/tiff');
  if (starts(b, [0x1f, 0x8b])) return refused('gzip', 'application/gzip');
  if (starts(b, 'Rar!')) return refused('rar', 'application/vnd.rar');
  if (starts(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return refused('7z', 'application/x-7z-compressed');
  if (starts(b, '{\\rtf')) return refused('rtf', 'application/rtf');
  const head = b
    .subarray(0, 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/^<(!doctype\s+html|html|head|body|script|iframe|meta|a\s|div|p>|table|!--)/.test(head))
    return refused('html', 'text/html');
  if (/^<svg|^<\?xml[^>]*>\s*(<!--.*?-->\s*)*<svg/s.test(head)) return refused('svg', 'image/svg+xml');
  if (head.startsWith('<?xml')) return refused('xml', 'application/xml');
  if (!b.subarray(0, 4096).includes(0)) return refused('text', 'text/plain');
  return refused('unknown', 'application/octet-stream');
}
