import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

/** One entry of a hand-made zip: plain bytes (deflated here), or an already deflated stream with the sizes to declare. */
export type ZipEntry =
  | { name: string; data: Buffer | string; store?: boolean }
  | { name: string; deflated: Buffer; size: number; crc?: number };

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A zip written byte by byte, so a test can say anything in it: sizes that lie, thousands of entries,
 * a deflate stream that inflates to gigabytes.
 */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    let body: Buffer;
    let method: number;
    let size: number;
    let crc: number;
    if ('deflated' in e) {
      body = e.deflated;
      method = 8;
      size = e.size;
      crc = e.crc ?? 0;
    } else {
      const data = Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data, 'utf8');
      body = e.store ? data : deflateRawSync(data);
      method = e.store ? 0 : 8;
      size = data.length;
      crc = crc32(data);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length & 0xffff, 8);
  eocd.writeUInt16LE(entries.length & 0xffff, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** The entries of a zip (read through its central directory), inflated. */
export function unzip(b: Buffer): Map<string, Buffer> {
  let eocd = b.length - 22;
  while (eocd >= 0 && b.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip');
  const out = new Map<string, Buffer>();
  let at = b.readUInt32LE(eocd + 16);
  for (let i = 0; i < b.readUInt16LE(eocd + 10); i++) {
    const method = b.readUInt16LE(at + 10);
    const compressed = b.readUInt32LE(at + 20);
    const nameLen = b.readUInt16LE(at + 28);
    const local = b.readUInt32LE(at + 42);
    const name = b.toString('utf8', at + 46, at + 46 + nameLen);
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const data = b.subarray(start, start + compressed);
    out.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLen + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
  }
  return out;
}

/**
 * A raw deflate stream of `head`, then `block` `times` over, then `tail`, built without ever holding the
 * inflated text: each part is compressed on its own after a full flush, so the copies of `block` are
 * byte-identical and simply concatenated. A megabyte block 1024 times is a gigabyte in about a megabyte.
 */
export function repeatedDeflate(
  head: string,
  block: string,
  times: number,
  tail: string,
): { deflated: Buffer; size: number } {
  const flushed = (s: string) => deflateRawSync(Buffer.from(s, 'utf8'), { finishFlush: constants.Z_FULL_FLUSH });
  const one = flushed(block);
  const deflated = Buffer.concat([
    flushed(head),
    ...Array.from({ length: times }, () => one),
    deflateRawSync(Buffer.from(tail, 'utf8')),
  ]);
  const size = Buffer.byteLength(head) + Buffer.byteLength(block) * times + Buffer.byteLength(tail);
  return { deflated, size };
}

const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

/** The parts of a minimal workbook around one sheet's XML (or its deflated stream). */
export function xlsxParts(
  sheet: string | { deflated: Buffer; size: number; declared?: number },
  extra: ZipEntry[] = [],
): ZipEntry[] {
  const sheetEntry: ZipEntry =
    typeof sheet === 'string'
      ? { name: 'xl/worksheets/sheet1.xml', data: sheet }
      : { name: 'xl/worksheets/sheet1.xml', deflated: sheet.deflated, size: sheet.declared ?? sheet.size };
  return [
    {
      name: '[Content_Types].xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${XLSX_MAIN}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${XLSX_MAIN}.worksheet+xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="问题清单" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    },
    sheetEntry,
    ...extra,
  ];
}

/** A worksheet's XML around `rows` (already `<row>` elements). */
export function sheetXml(rows: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
}

/** An inline-string cell; `ref` like 'A1'. */
export function textCell(ref: string, text: string): string {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<c r="${ref}" t="inlineStr"><is><t>${esc}</t></is></c>`;
}

/** Column letters of a 1-based column number (1 → A, 16384 → XFD). */
export function colName(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** An OLE2 compound file (the container of .xls, .doc and password-protected Office files) whose directory names `streams`. */
export function oleCompound(streams: string[]): Buffer {
  const sector = 512;
  const header = Buffer.alloc(sector);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  header.writeUInt16LE(0x3e, 0x18);
  header.writeUInt16LE(3, 0x1a);
  header.writeUInt16LE(0xfffe, 0x1c);
  header.writeUInt16LE(9, 0x1e);
  header.writeUInt16LE(6, 0x20);
  header.writeUInt32LE(1, 0x2c);
  header.writeUInt32LE(1, 0x30);
  header.writeUInt32LE(4096, 0x38);
  header.writeUInt32LE(0xfffffffe, 0x3c);
  header.writeUInt32LE(0xfffffffe, 0x44);
  header.fill(0xff, 0x4c);
  header.writeUInt32LE(0, 0x4c);
  const names = ['Root Entry', ...streams];
  const dirSectors = Math.ceil(names.length / 4);
  const fat = Buffer.alloc(sector, 0xff);
  fat.writeUInt32LE(0xfffffffd, 0);
  for (let i = 1; i <= dirSectors; i++) fat.writeUInt32LE(i === dirSectors ? 0xfffffffe : i + 1, i * 4);
  const dir = Buffer.alloc(dirSectors * sector);
  names.forEach((name, i) => {
    const at = i * 128;
    dir.write(name, at, 'utf16le');
    dir.writeUInt16LE((name.length + 1) * 2, at + 64);
    dir[at + 66] = i === 0 ? 5 : 2;
  });
  return Buffer.concat([header, fat, dir]);
}

/** A workbook of text cells held in a shared string table, as Excel writes them (with its _xHHHH_ escapes left as given). */
export function sharedStringsWorkbook(rows: string[][]): Buffer {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const cells = rows
    .map(
      (r, i) =>
        `<row r="${i + 1}">${r
          .map((v, j) => {
            if (!index.has(v)) index.set(v, strings.push(v) - 1);
            return `<c r="${colName(j + 1)}${i + 1}" t="s"><v>${index.get(v)}</v></c>`;
          })
          .join('')}</row>`,
    )
    .join('');
  const sst = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t xml:space="preserve">${esc(s)}</t></si>`).join('')}</sst>`;
  return zip(xlsxParts(sheetXml(cells), [{ name: 'xl/sharedStrings.xml', data: sst }]));
}
