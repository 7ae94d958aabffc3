import { chinaDate } from '../../problems/rules/china-date.js';
import type { BulletinView } from '../bulletin-view.js';
import { percent, type NamedProblem } from '../rules/bulletin-rules.js';
import { dateLabel, monthLabel } from '../rules/month.js';
import { addressee, masthead, officialDocument, paragraph, signature, table, title } from './official-docx.js';

const list = (ps: NamedProblem[]) => ps.map((p) => `${p.code}“${p.title}”`).join('、');

/** The last day a bulletin's figures include (its cut-off is 00:00 of the next day). */
export function asOfDate(b: Pick<BulletinView, 'asOf'>): string {
  return chinaDate(Date.parse(b.asOf) - 1);
}

/** The body text of a bulletin: what the figures say, who is named, what follows. */
export function bulletinParagraphs(b: BulletinView): { overview: string; laggards: string[]; demands: string } {
  const t = b.totals;
  // A snapshot frozen before 见效 and the parts' totals were counted has neither: its text stays as it was.
  const effective = typeof t.effective === 'number' ? `（经回头看见效${t.effective}个）` : '';
  const parts =
    typeof t.partsDue === 'number' && t.partsDue > 0
      ? `配合单位分工已到期${t.partsDue}项，其中按期完成${t.partsOnTime}项，逾期未完成${t.partsLate}项；` +
        `牵头问题与配合分工合计按期完成率${percent(t.allOnTimeRate ?? null)}。`
      : '';
  const overview =
    `截至${dateLabel(asOfDate(b))}，全市共交办环保督察反馈问题${t.assigned}个，已整改销号${t.closed}个${effective}；` +
    `已到整改时限${t.due}个，其中按期销号${t.onTime}个，按期完成率${percent(t.onTimeRate)}；逾期未销号${t.overdue}个。` +
    parts;
  const laggards = b.laggards.map((l) => {
    const parts: string[] = [];
    if (l.overdue.length) parts.push(`逾期未销号${l.overdue.length}个（${list(l.overdue)}）`);
    if (l.missingReports.length)
      parts.push(`未按时报送月度整改进展${l.missingReports.length}个（${list(l.missingReports)}）`);
    return `${l.unitName}：${parts.join('；')}。`;
  });
  const demands =
    '对本通报点名的单位，市整改办将发出督办单，限期整改到位；逾期10个工作日以上的予以通报，逾期20个工作日以上的约谈单位主要负责人，' +
    '逾期30个工作日以上的开展专项督察、暗查暗访，并视情启动问责。各单位要对照整改台账，倒排工期、挂图作战，整改一个、销号一个、见效一个。';
  return { overview, laggards, demands };
}

/** 关于YYYY年M月环保督察反馈问题整改情况的通报, in the official layout. */
export async function bulletinDocx(b: BulletinView): Promise<Buffer> {
  const text = bulletinParagraphs(b);
  const date = b.publishedAt ? chinaDate(Date.parse(b.publishedAt)) : asOfDate(b);
  const ranking = b.units.map((u) => [
    String(u.rank),
    u.unitName,
    String(u.assigned),
    String(u.closed),
    String(u.due),
    String(u.onTime),
    String(u.overdue),
    percent(u.onTimeRate),
  ]);
  const children = [
    ...masthead(b.issuer, b.documentNo),
    title(b.title),
    addressee('各乡镇人民政府、街道办事处，市直有关单位'),
    paragraph(
      `为贯彻落实“月调度、月通报、月督办”制度，现将${monthLabel(b.month)}全市环保督察反馈问题整改情况通报如下。`,
    ),
    paragraph('一、总体情况', { heading: true }),
    paragraph(text.overview),
    paragraph('二、各牵头单位整改情况排名', { heading: true }),
    paragraph(
      '按按期完成率由高到低排列，按期完成率相同的按逾期问题数由少到多排列；尚无问题到期的单位按期完成率记为“—”，视同未延误。',
    ),
    table(
      ['排名', '牵头单位', '交办', '销号', '到期', '按期销号', '逾期', '按期完成率'],
      ranking,
      [8, 24, 10, 10, 10, 12, 10, 16],
    ),
  ];
  if (b.coUnits.length) {
    children.push(paragraph('配合单位按各自分工（分工时限）单独排名如下：'));
    children.push(
      table(
        ['排名', '配合单位', '参与问题', '分工到期', '按期完成', '分工逾期', '分工按期完成率'],
        b.coUnits.map((c) => [
          String(c.rank ?? '—'),
          c.unitName,
          String(c.shared),
          String(c.partsDue ?? 0),
          String(c.partsOnTime ?? 0),
          String(c.partsLate ?? 0),
          percent(c.partsOnTimeRate ?? null),
        ]),
        [8, 28, 12, 12, 12, 12, 16],
      ),
    );
  }
  children.push(paragraph('三、存在的问题', { heading: true }));
  if (text.laggards.length) {
    children.push(paragraph('以下单位整改进度滞后，予以通报：'));
    for (const l of text.laggards) children.push(paragraph(l));
  } else {
    children.push(paragraph('本月各单位均按期推进整改、按时报送进展，无逾期、无漏报。'));
  }
  children.push(
    paragraph('四、下步要求', { heading: true }),
    paragraph(text.demands),
    ...signature(b.issuer, dateLabel(date)),
  );
  return officialDocument({ title: b.title, creator: b.issuer }, children);
}
