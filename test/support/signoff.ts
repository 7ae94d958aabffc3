import { DAY, type TestApp } from './test-app.js';

/** A PNG and a PDF as the sniffer accepts them (site photo, monitoring report). */
export const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** Uploads a site photo and a monitoring report for the problem (what a 大气污染 problem's application needs). */
export async function uploadEvidence(t: TestApp, code: string): Promise<string[]> {
  const photo = await t.http
    .post(`/api/problems/${code}/files`)
    .field('category', 'photo')
    .attach('file', PNG, { filename: '整改后现场照片.png', contentType: 'image/png' })
    .expect(201);
  const report = await t.http
    .post(`/api/problems/${code}/files`)
    .field('category', 'report')
    .attach('file', PDF, { filename: '监测报告.pdf', contentType: 'application/pdf' })
    .expect(201);
  return [photo.body.id, report.body.id];
}

export const SELF_CHECK = {
  selfCheckPassed: true,
  checkedBy: '局长 王强',
  selfCheckOpinion: '经自查，整改任务已全部完成',
};

export function siteCheck(verified: boolean, date: string, comment = verified ? '整改到位，同意销号' : '整改不到位') {
  return {
    verified,
    siteCheckDate: date,
    siteCheckPeople: '市整改办 张伟、李娜',
    siteFindings: verified ? '现场核查，整改措施落实到位' : '现场核查发现仍有问题',
    comment,
  };
}

/** The open 公示 of a problem (ends_on), or undefined. */
export async function openNotice(t: TestApp, code: string): Promise<{ ends_on: string } | undefined> {
  const [row] = await t.db.query(
    `SELECT n.ends_on::text AS ends_on FROM signoff_notice n JOIN problem p ON p.id = n.problem_id
     WHERE p.code = $1 AND n.closed_at IS NULL`,
    [code],
  );
  return row;
}

/** The end of a China day: 00:00 of the next day, Asia/Shanghai. */
export const endOfChinaDay = (date: string) => Date.parse(`${date}T00:00:00+08:00`) + DAY;
