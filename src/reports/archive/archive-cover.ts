import type { Paragraph, Table } from 'docx';
import { dateLabel } from '../rules/month.js';
import { formTable, officialDocument, paragraph, table, title } from '../export/official-docx.js';

/** What the cover sheet (一案一档 封面) of a problem's archive shows. */
export interface ArchiveCover {
  issuer: string;
  problem: {
    code: string;
    title: string;
    category: string;
    source: string | null;
    leadUnit: string;
    coUnits: string[];
    person: string | null;
    leader: string | null;
    deadline: string;
    goal: string | null;
    status: string;
    signedOffOn: string | null;
  };
  milestones: { title: string; dueDate: string; doneDate: string | null }[];
  steps: { name: string; who: string; startedAt: string; endedAt: string }[];
  documents: { documentNo: string; title: string; issuedOn: string }[];
  notices: { startedOn: string; endsOn: string; outcome: string; objections: number }[];
  filings: { toLevel: string; filedOn: string }[];
  /** 回头看 after the sign-off, each with its conclusion (见效, 未见效, 反弹). */
  effectChecks: { checkedOn: string; conclusion: string; findings: string }[];
  files: { name: string; category: string; uploadedBy: string; uploadedOn: string }[];
}

const day = (d: string | null) => (d ? dateLabel(d) : '—');

/** The cover sheet as an official document: the problem, its units, the plan, each step, the documents, the sign-off. */
export async function archiveCoverDocx(c: ArchiveCover): Promise<Buffer> {
  const p = c.problem;
  const children: (Paragraph | Table)[] = [
    title('问题整改档案'),
    paragraph('一、问题基本情况', { heading: true }),
    formTable([
      ['问题编号', p.code],
      ['问　　题', p.title],
      ['类　　别', p.category],
      ['来　　源', p.source ?? '—'],
      ['牵头单位', p.leadUnit],
      ['责任单位', p.coUnits.length ? p.coUnits.join('、') : '—'],
      ['责 任 人', p.person ?? '—'],
      ['责任领导', p.leader ?? '—'],
      ['整改时限', day(p.deadline)],
      ['整改目标', p.goal ?? '—'],
      ['当前状态', p.status],
      ['销号日期', day(p.signedOffOn)],
    ]),
    paragraph('二、整改方案（节点计划）', { heading: true }),
    c.milestones.length
      ? table(
          ['节点', '计划完成', '实际完成'],
          c.milestones.map((m) => [m.title, day(m.dueDate), day(m.doneDate)]),
          [60, 20, 20],
        )
      : paragraph('未报送节点计划。'),
    paragraph('三、办理过程', { heading: true }),
    c.steps.length
      ? table(
          ['环节', '办理人', '开始', '办结'],
          c.steps.map((s) => [s.name, s.who, s.startedAt, s.endedAt]),
          [34, 22, 22, 22],
        )
      : paragraph('尚无办结的环节。'),
    paragraph('四、督办文书', { heading: true }),
    c.documents.length
      ? table(
          ['文号', '标题', '印发日期'],
          c.documents.map((d) => [d.documentNo, d.title, day(d.issuedOn)]),
          [25, 55, 20],
        )
      : paragraph('未印发督办文书。'),
    paragraph('五、验收销号', { heading: true }),
    c.notices.length
      ? table(
          ['公示开始', '公示截止', '结果', '异议'],
          c.notices.map((n) => [day(n.startedOn), day(n.endsOn), n.outcome, `${n.objections} 条`]),
          [25, 25, 30, 20],
        )
      : paragraph('尚未公示。'),
    ...(c.filings.length
      ? [paragraph(`已向${c.filings.map((f) => `${f.toLevel}（${day(f.filedOn)}）`).join('、')}备案。`)]
      : []),
    paragraph('六、回头看与见效', { heading: true }),
    c.effectChecks.length
      ? table(
          ['回头看日期', '结论', '检查情况'],
          c.effectChecks.map((e) => [day(e.checkedOn), e.conclusion, e.findings]),
          [20, 25, 55],
        )
      : paragraph('尚未回头看。'),
    paragraph('七、佐证材料', { heading: true }),
    c.files.length
      ? table(
          ['文件', '类别', '上传人', '上传日期'],
          c.files.map((f) => [f.name, f.category, f.uploadedBy, day(f.uploadedOn)]),
          [46, 16, 20, 18],
        )
      : paragraph('无佐证材料。'),
  ];
  return officialDocument({ title: `问题整改档案（${p.code}）`, creator: c.issuer }, children);
}
