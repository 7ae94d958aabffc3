import type { Paragraph, Table } from 'docx';
import { chinaDate } from '../../problems/rules/china-date.js';
import { dateLabel } from '../rules/month.js';
import { addressee, formTable, masthead, officialDocument, paragraph, signature, title } from './official-docx.js';

/** A supervision action (督办单, 约谈…) as its document shows it. */
export interface ActionDocument {
  type: string;
  status: string;
  title: string;
  documentNo: string | null;
  unitName: string;
  issuedAt: Date;
  deadline: string | null;
  body: Record<string, unknown>;
  issuer: string;
}

const HEADINGS: Record<string, string> = {
  reminder: '整改期限提醒函',
  urge: '催报催办通知',
  notice: '督 办 单',
  bulletin: '通 报',
  interview: '约谈通知',
  inspection: '专项督察通知',
  accountability: '问责决定',
  extension: '延期申请审批单',
};

const str = (v: unknown): string =>
  v === null || v === undefined
    ? ''
    : Array.isArray(v)
      ? v.map(str).join('、')
      : typeof v === 'boolean'
        ? v
          ? '是'
          : '否'
        : String(v);
const day = (v: unknown): string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? dateLabel(v.slice(0, 10)) : str(v);

/** The heading, addressee, paragraphs and form fields of an action's document: pure, so it can be read in a test. */
export function actionDocumentContent(a: ActionDocument): {
  heading: string;
  addressee: string;
  paragraphs: string[];
  fields: [string, string][];
} {
  const b = a.body;
  const minutes = Boolean(b.minutes);
  const heading =
    a.type === 'interview' && minutes
      ? '约谈记录'
      : a.type === 'inspection' && b.findings
        ? '专项督察情况'
        : (HEADINGS[a.type] ?? a.title);
  const fields: [string, string][] = [
    ['文　　号', a.documentNo ?? '—'],
    ['问题编号', str(b.problemCode)],
    ['问　　题', str(b.problemTitle)],
    ['牵头单位', a.unitName],
    ['整改时限', day(b.deadline)],
  ];
  if (a.deadline)
    fields.push([a.type === 'interview' && b.commitmentDeadline ? '承诺时限' : '办理时限', day(a.deadline)]);
  const add = (label: string, v: unknown, fmt = str) => {
    if (v !== undefined && v !== null && str(v) !== '') fields.push([label, fmt(v)]);
  };
  add('约谈时间', b.interviewDate, day);
  add('约谈地点', b.interviewPlace);
  add('参加人员', b.attendees);
  add('约谈纪要', b.minutes);
  add('整改承诺', b.commitment);
  add('督察发现', b.findings);
  add('是否追责', b.accountable);
  add('问责措施', b.measure);
  add('申请延期至', b.newDeadline, day);
  add('延期理由', b.reason && a.type === 'extension' ? b.reason : undefined);
  add('所涉通报', b.bulletinNo);
  const paragraphs = [str(b.text) || a.title];
  if (a.type === 'notice' && a.deadline)
    paragraphs.push(
      `请于${dateLabel(a.deadline)}前将整改情况书面报送市整改办，逾期未报或整改不到位的，将按规定予以通报、约谈直至问责。`,
    );
  if (a.type === 'interview' && !minutes)
    paragraphs.push('请被约谈单位主要负责人按时参加，并书面报告整改进展、逾期原因和下一步措施。');
  return { heading, addressee: a.unitName, paragraphs, fields };
}

/** The action as an official document: red masthead, number, heading, addressee, text, the form, issuer and date. */
export async function actionDocx(a: ActionDocument): Promise<Buffer> {
  const c = actionDocumentContent(a);
  const children: (Paragraph | Table)[] = [
    ...masthead(a.issuer, a.documentNo),
    title(c.heading),
    addressee(c.addressee),
    ...c.paragraphs.map((p) => paragraph(p)),
    formTable(c.fields),
    ...signature(a.issuer, dateLabel(chinaDate(a.issuedAt.getTime()))),
  ];
  return officialDocument(
    { title: `${c.heading.replace(/\s+/g, '')}${a.documentNo ? `（${a.documentNo}）` : ''}`, creator: a.issuer },
    children,
  );
}
