import { deflateRawSync } from 'node:zlib';
import { Document, Packer, Paragraph } from 'docx';
import ExcelJS from 'exceljs';
import { contentDisposition, safeFileName } from './file-names.js';
import { sniff } from './sniff.js';
import { oleCompound } from '../../test/support/zip.js';

/** A zip with the given entries, deflated, with a central directory (enough for the sniffer). */
function zip(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const raw = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const data = deflateRawSync(raw);
    const n = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Object.keys(entries).length, 8);
  eocd.writeUInt16LE(Object.keys(entries).length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

const contentTypes = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="${main}"/></Types>`;

describe('sniff: file types by content', () => {
  it('accepts images and PDF by their magic bytes', () => {
    expect(sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toMatchObject({ type: 'jpeg', allowed: true });
    expect(sniff(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toMatchObject({
      type: 'png',
      mime: 'image/png',
      allowed: true,
    });
    expect(sniff(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toMatchObject({
      type: 'webp',
      allowed: true,
    });
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic'),
      Buffer.alloc(4),
      Buffer.from('mif1heic'),
    ]);
    expect(sniff(heic)).toMatchObject({ type: 'heic', mime: 'image/heic', allowed: true });
    expect(sniff(Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('ftypisom'), Buffer.alloc(8)]))).toMatchObject({
      type: 'mp4',
      allowed: false,
    });
    expect(sniff(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toMatchObject({
      type: 'pdf',
      mime: 'application/pdf',
      allowed: true,
    });
  });

  it('accepts Word and Excel files as their generators write them', async () => {
    const docx = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('整改报告')] }] }));
    expect(sniff(Buffer.from(docx))).toMatchObject({ type: 'docx', allowed: true });
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRow(['编号', '问题']);
    expect(sniff(Buffer.from(await wb.xlsx.writeBuffer()))).toMatchObject({ type: 'xlsx', allowed: true });
  });

  it('reads the main part of an OOXML package from [Content_Types].xml only', () => {
    const pptx = zip({
      '[Content_Types].xml': contentTypes(
        'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
      ),
      'ppt/presentation.xml': '<p/>',
    });
    expect(sniff(pptx)).toMatchObject({ type: 'pptx', allowed: true });
    const docm = zip({ '[Content_Types].xml': contentTypes('application/vnd.ms-word.document.macroEnabled.main+xml') });
    expect(sniff(docm)).toMatchObject({ type: 'docm', allowed: false });
    const smuggled = zip({
      '[Content_Types].xml': contentTypes(
        'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
      ),
      'ppt/vbaProject.bin': 'x',
    });
    expect(sniff(smuggled)).toMatchObject({ type: 'office-macro', allowed: false });
    expect(sniff(zip({ 'readme.txt': 'hi', 'run.exe': 'MZ' }))).toMatchObject({
      type: 'zip',
      mime: 'application/zip',
      allowed: false,
    });
    expect(sniff(zip({ 'META-INF/MANIFEST.MF': 'x' }))).toMatchObject({ type: 'jar', allowed: false });
    const truncated = zip({
      '[Content_Types].xml': contentTypes(
        'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
      ),
    });
    expect(sniff(truncated.subarray(0, truncated.length - 30))).toMatchObject({ type: 'zip', allowed: false });
  });

  it('tells legacy Word, Excel and PowerPoint from other compound files', () => {
    expect(sniff(oleCompound(['1Table', 'WordDocument', '\u0005SummaryInformation']))).toMatchObject({
      type: 'doc',
      mime: 'application/msword',
      allowed: true,
    });
    expect(
      sniff(oleCompound(['\u0005SummaryInformation', '\u0005DocumentSummaryInformation', 'CompObj', 'Workbook'])),
    ).toMatchObject({ type: 'xls', allowed: true });
    expect(sniff(oleCompound(['PowerPoint Document', 'Current User']))).toMatchObject({ type: 'ppt', allowed: true });
    expect(sniff(oleCompound(['\u4840\u3b3f\u4577']))).toMatchObject({ type: 'ole2', allowed: false });
    expect(sniff(oleCompound([]).subarray(0, 300))).toMatchObject({ type: 'ole2', allowed: false });
  });

  it('names what it refuses', () => {
    expect(sniff(Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'))).toMatchObject({
      type: 'exe',
      mime: 'application/x-msdownload',
      allowed: false,
    });
    expect(sniff(Buffer.from('\uFEFF  <!DOCTYPE html><html><script>alert(1)</script>'))).toMatchObject({
      type: 'html',
      mime: 'text/html',
      allowed: false,
    });
    expect(
      sniff(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')),
    ).toMatchObject({ type: 'svg', allowed: false });
    expect(sniff(Buffer.from('\x7fELF\x02\x01', 'latin1'))).toMatchObject({ type: 'elf', allowed: false });
    expect(sniff(Buffer.from('GIF89a'))).toMatchObject({ type: 'gif', allowed: false });
    expect(sniff(Buffer.from('整改情况说明'))).toMatchObject({ type: 'text', allowed: false });
    expect(sniff(Buffer.alloc(0))).toMatchObject({ type: 'empty', allowed: false });
    expect(sniff(Buffer.from([0, 1, 2, 3, 0, 0]))).toMatchObject({ type: 'unknown', allowed: false });
  });
});

describe('file names', () => {
  it('keeps only the last segment, without controls, bidi overrides or leading dots', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\王五\\整改报告.pdf')).toBe('整改报告.pdf');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('.htaccess')).toBe('htaccess');
    expect(safeFileName('report\u202Efdp.exe')).toBe('reportfdp.exe');
    expect(safeFileName('a\r\nb\u0000.pdf')).toBe('ab.pdf');
    expect(safeFileName(undefined)).toBe('file');
    const long = safeFileName(`${'长'.repeat(300)}.xlsx`);
    expect([...long]).toHaveLength(200);
    expect(long.endsWith('.xlsx')).toBe(true);
  });

  it('encodes Content-Disposition with an ASCII fallback and RFC 5987 UTF-8', () => {
    expect(contentDisposition('整改报告(终稿).pdf')).toBe(
      `attachment; filename="____(__).pdf"; filename*=UTF-8''%E6%95%B4%E6%94%B9%E6%8A%A5%E5%91%8A%28%E7%BB%88%E7%A8%BF%29.pdf`,
    );
    expect(contentDisposition('a "b"\\c.pdf')).toBe(
      `attachment; filename="a _b__c.pdf"; filename*=UTF-8''a%20%22b%22%5Cc.pdf`,
    );
  });
});
