import JSZip from 'jszip';
import { actionDocumentContent, actionDocx, type ActionDocument } from './action-docx.js';
import { bulletinDocx } from './bulletin-docx.js';

const notice: ActionDocument = {
  type: 'notice',
  status: 'issued',
  title: '督办单：TM2017-03 中心城区20蒸吨以下燃煤锅炉未淘汰关停',
  documentNo: '督办〔2018〕3号',
  unitName: '市环保局',
  issuedAt: new Date('2018-01-02T02:00:00Z'),
  deadline: '2018-01-09',
  body: {
    problemCode: 'TM2017-03',
    problemTitle: '中心城区20蒸吨以下燃煤锅炉未淘汰关停',
    deadline: '2017-12-31',
    text: '该问题已超过整改时限（2017-12-31）未销号。',
  },
  issuer: '天门市环境保护督察整改工作领导小组办公室',
};

async function text(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  return (await zip.file('word/document.xml')!.async('string')).replace(/<[^>]+>/g, '');
}

describe('supervision documents (.docx)', () => {
  it('lays a 督办单 out with its number, addressee, text, the problem and the reply date', async () => {
    const c = actionDocumentContent(notice);
    expect(c.heading).toBe('督 办 单');
    expect(c.addressee).toBe('市环保局');
    expect(c.paragraphs[1]).toBe(
      '请于2018年1月9日前将整改情况书面报送市整改办，逾期未报或整改不到位的，将按规定予以通报、约谈直至问责。',
    );
    expect(c.fields).toEqual([
      ['文　　号', '督办〔2018〕3号'],
      ['问题编号', 'TM2017-03'],
      ['问　　题', '中心城区20蒸吨以下燃煤锅炉未淘汰关停'],
      ['牵头单位', '市环保局'],
      ['整改时限', '2017年12月31日'],
      ['办理时限', '2018年1月9日'],
    ]);
    const doc = await text(await actionDocx(notice));
    for (const s of [
      '天门市环境保护督察整改工作领导小组办公室',
      '督办〔2018〕3号',
      '督 办 单',
      '市环保局：',
      '2018年1月2日',
    ])
      expect([s, doc.includes(s)]).toEqual([s, true]);
  });

  it('makes an interview with minutes a 约谈记录 with its date, place, attendees, minutes and commitment', () => {
    const c = actionDocumentContent({
      ...notice,
      type: 'interview',
      status: 'committed',
      documentNo: '约谈〔2018〕1号',
      deadline: '2018-03-31',
      body: {
        ...notice.body,
        interviewDate: '2018-02-06',
        interviewPlace: '市政府第三会议室',
        attendees: ['局长', '分管副局长'],
        minutes: '约谈指出…',
        commitment: '3月底前完成',
        commitmentDeadline: '2018-03-31',
      },
    });
    expect(c.heading).toBe('约谈记录');
    expect(c.fields).toEqual(
      expect.arrayContaining([
        ['承诺时限', '2018年3月31日'],
        ['约谈时间', '2018年2月6日'],
        ['约谈地点', '市政府第三会议室'],
        ['参加人员', '局长、分管副局长'],
        ['约谈纪要', '约谈指出…'],
        ['整改承诺', '3月底前完成'],
      ]),
    );
    expect(actionDocumentContent({ ...notice, type: 'interview', body: notice.body }).heading).toBe('约谈通知');
  });

  it('writes a bulletin with nobody named', async () => {
    const doc = await text(
      await bulletinDocx({
        month: '2017-08',
        asOf: '2017-08-31T16:00:00.000Z',
        title: '关于2017年8月环保督察反馈问题整改情况的通报',
        issuer: notice.issuer,
        documentNo: null,
        published: false,
        publishedAt: null,
        totals: {
          assigned: 0,
          closed: 0,
          effective: 0,
          due: 0,
          onTime: 0,
          overdue: 0,
          onTimeRate: null,
          partsDue: 0,
          partsOnTime: 0,
          partsLate: 0,
          allOnTimeRate: null,
          units: 0,
        },
        units: [],
        coUnits: [],
        laggards: [],
      }),
    );
    expect(doc).toContain('（未发布）');
    expect(doc).toContain('无逾期、无漏报');
  });
});
