import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';

/**
 * The building blocks of an official document (党政机关公文格式, GB/T 9704-2012) as the office prints them:
 * the red masthead (发文机关标志), the document number over a red rule, a centred title, the body in 3号
 * 仿宋 with a two-character first-line indent, tables, and the issuer and date at the foot.
 */
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const RED = 'C00000';
const HEAD_FONT = '方正小标宋简体';
const BODY_FONT = '仿宋_GB2312';
const HEI = '黑体';
/** Half-points: 小初 36 pt, 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt. */
const SIZE = { masthead: 72, title: 44, body: 32, small: 28, table: 24 } as const;
const MM = 56.7; // twips per millimetre

const run = (text: string, o: { font?: string; size?: number; bold?: boolean; color?: string } = {}) =>
  new TextRun({ text, font: o.font ?? BODY_FONT, size: o.size ?? SIZE.body, bold: o.bold, color: o.color });

/** 发文机关标志 in red, then the document number, then the red rule. */
export function masthead(issuer: string, documentNo: string | null): Paragraph[] {
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 240, after: 360 },
      children: [run(issuer, { font: HEAD_FONT, size: issuer.length > 16 ? 56 : SIZE.masthead, color: RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 360 },
      border: { bottom: { color: RED, style: BorderStyle.THICK_THIN_MEDIUM_GAP, size: 24, space: 8 } },
      children: [run(documentNo ?? '（未发布）')],
    }),
  ];
}

export function title(text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: 240, after: 360, line: 560 },
    children: [run(text, { font: HEAD_FONT, size: SIZE.title })],
  });
}

/** 主送机关: flush left, ending with a full-width colon. */
export function addressee(text: string): Paragraph {
  return new Paragraph({ spacing: { line: 560 }, children: [run(`${text}：`)] });
}

export function paragraph(text: string, o: { heading?: boolean } = {}): Paragraph {
  return new Paragraph({
    indent: { firstLine: 640 },
    spacing: { line: 560 },
    children: [run(text, o.heading ? { font: HEI } : {})],
  });
}

/** 发文机关署名 and 成文日期, right-aligned, some space below the body. */
export function signature(issuer: string, date: string): Paragraph[] {
  return [
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { before: 720, line: 560 },
      indent: { right: 640 },
      children: [run(issuer)],
    }),
    new Paragraph({
      alignment: AlignmentType.RIGHT,
      spacing: { line: 560 },
      indent: { right: 1280 },
      children: [run(date)],
    }),
  ];
}

const cell = (text: string, o: { header?: boolean; width?: number; left?: boolean } = {}) =>
  new TableCell({
    verticalAlign: VerticalAlign.CENTER,
    width: o.width ? { size: o.width, type: WidthType.PERCENTAGE } : undefined,
    shading: o.header ? { fill: 'E7E6E6' } : undefined,
    children: [
      new Paragraph({
        alignment: o.left ? AlignmentType.LEFT : AlignmentType.CENTER,
        children: [run(text, { size: SIZE.table, font: o.header ? HEI : BODY_FONT })],
      }),
    ],
  });

/** A ruled table with a shaded header row; `widths` in percent of the text width. */
export function table(headers: string[], rows: string[][], widths?: number[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        tableHeader: true,
        children: headers.map((h, i) => cell(h, { header: true, width: widths?.[i] })),
      }),
      ...rows.map((r) => new TableRow({ children: r.map((v, i) => cell(v, { width: widths?.[i] })) })),
    ],
  });
}

/** Two columns, label and value, as on a form (督办单、约谈记录). */
export function formTable(fields: [string, string][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: fields.map(
      ([k, v]) =>
        new TableRow({ children: [cell(k, { header: true, width: 22 }), cell(v, { width: 78, left: true })] }),
    ),
  });
}

/** A4 with the standard margins (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm). */
export async function officialDocument(
  meta: { title: string; creator: string },
  children: (Paragraph | Table)[],
): Promise<Buffer> {
  const doc = new Document({
    creator: meta.creator,
    title: meta.title,
    styles: { default: { document: { run: { font: BODY_FONT, size: SIZE.body } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 210 * MM, height: 297 * MM },
            margin: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM },
          },
        },
        children,
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}

/** Content-Disposition with an ASCII fallback and the Chinese name (RFC 5987). */
export function attachment(ascii: string, name: string): string {
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
