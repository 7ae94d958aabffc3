/**
 * Two batches of complaints (信访件) as the central inspection team forwarded them to the demo city during its
 * stay in August 2017, with how each was handled. Demo data: the people, places and figures are made up to be
 * plausible for the seed's city, not taken from any real case; the titles say so.
 */
export interface DemoPetition {
  code: string;
  summary: string;
  district: string;
  pollutionType: string;
  unit: string;
  verdict: '属实' | '部分属实' | '不属实';
  handling: string;
  accountability?: string;
  orderedRectify?: boolean;
  fineWan?: number;
  detained?: number;
  interviewed?: number;
  accountablePeople?: number;
  /** 重复件: the 受理编号 of the earlier complaint with the same place and matter. */
  duplicateOf?: string;
  /** Days after the batch came in that it was closed. */
  closedAfter: number;
}

export interface DemoPetitionBatch {
  code: string;
  title: string;
  receivedOn: string;
  closeBy: string;
  published: boolean;
  complaints: DemoPetition[];
}

export const DEMO_PETITION_BATCHES: DemoPetitionBatch[] = [
  {
    code: '演示-第1批',
    title: '中央环境保护督察组转办第1批信访件（演示数据）',
    receivedOn: '2017-08-14',
    closeBy: '2017-08-21',
    published: true,
    complaints: [
      {
        code: 'X17081401',
        summary: '竟陵街道西湖路一餐馆油烟直排，夜间噪声扰民',
        district: '竟陵街道',
        pollutionType: '大气污染',
        unit: 'JLJD',
        verdict: '属实',
        handling: '责令安装油烟净化设施并限期整改，已完成安装并通过验收；夜间停止露天经营',
        orderedRectify: true,
        closedAfter: 4,
      },
      {
        code: 'X17081402',
        summary: '岳口镇一化工企业夜间偷排废水，汉江支流水体发黑',
        district: '岳口镇',
        pollutionType: '水污染',
        unit: 'YKZ',
        verdict: '属实',
        handling: '立案查处，罚款20万元，责令停产整治；对偷排责任人依法移送公安机关',
        accountability: '对镇分管负责人诫勉谈话，对驻企环保监管员给予警告处分',
        orderedRectify: true,
        fineWan: 20,
        detained: 1,
        interviewed: 1,
        accountablePeople: 2,
        closedAfter: 6,
      },
      {
        code: 'X17081403',
        summary: '多宝镇某村养猪场粪污未经处理直排入渠',
        district: '多宝镇',
        pollutionType: '水污染',
        unit: 'DBZ',
        verdict: '部分属实',
        handling: '养殖场已建沼气池但容量不足，责令扩建储粪池并实行干湿分离，已整改到位',
        orderedRectify: true,
        interviewed: 1,
        closedAfter: 5,
      },
      {
        code: 'X17081404',
        summary: '杨林街道一混凝土搅拌站扬尘严重，运输车辆抛洒',
        district: '杨林街道',
        pollutionType: '大气污染',
        unit: 'YLJD',
        verdict: '属实',
        handling: '立案处罚，罚款3万元；责令料场全封闭、进出车辆冲洗，已完成整改',
        orderedRectify: true,
        fineWan: 3,
        closedAfter: 5,
      },
      {
        code: 'X17081405',
        summary: '皂市镇垃圾中转站异味扰民',
        district: '皂市镇',
        pollutionType: '固体废物',
        unit: 'ZSZ',
        verdict: '不属实',
        handling: '经现场核查，中转站日产日清，除臭设施正常运行，周边未闻明显异味；已向投诉人反馈',
        closedAfter: 3,
      },
      {
        code: 'X17081406',
        summary: '天门经济开发区一企业锅炉冒黑烟',
        district: '天门经济开发区',
        pollutionType: '大气污染',
        unit: 'KFQ',
        verdict: '属实',
        handling: '责令停用燃煤锅炉，改用天然气，罚款5万元；企业已完成改造',
        accountability: '对园区环保专干约谈提醒',
        orderedRectify: true,
        fineWan: 5,
        interviewed: 1,
        closedAfter: 7,
      },
    ],
  },
  {
    code: '演示-第2批',
    title: '中央环境保护督察组转办第2批信访件（演示数据）',
    receivedOn: '2017-08-16',
    closeBy: '2017-08-23',
    published: false,
    complaints: [
      {
        code: 'X17081601',
        summary: '岳口镇一化工企业夜间偷排废水，汉江支流水体发黑',
        district: '岳口镇',
        pollutionType: '水污染',
        unit: 'YKZ',
        verdict: '属实',
        handling: '与第1批受理编号X17081402重复，合并办理',
        duplicateOf: 'X17081402',
        closedAfter: 0,
      },
      {
        code: 'X17081602',
        summary: '张港镇沿河违规采砂，河岸植被破坏',
        district: '张港镇',
        pollutionType: '生态破坏',
        unit: 'ZGZ',
        verdict: '属实',
        handling: '取缔非法采砂点2处，没收采砂设备，立案处罚2家共计罚款8万元，已恢复岸坡植被',
        accountability: '对镇水利站站长给予党内警告处分',
        orderedRectify: true,
        fineWan: 8,
        detained: 2,
        accountablePeople: 1,
        closedAfter: 6,
      },
      {
        code: 'X17081603',
        summary: '竟陵街道陆羽大道沿线夜间施工噪声扰民',
        district: '竟陵街道',
        pollutionType: '噪声污染',
        unit: 'JLJD',
        verdict: '部分属实',
        handling: '工地夜间施工已办理许可，但超时作业属实；责令严格按许可时段施工，并处罚款1万元',
        orderedRectify: true,
        fineWan: 1,
        closedAfter: 4,
      },
      {
        code: 'X17081604',
        summary: '多宝镇某砖瓦厂粉尘污染周边农田',
        district: '多宝镇',
        pollutionType: '大气污染',
        unit: 'DBZ',
        verdict: '属实',
        handling: '砖瓦厂属落后产能，已依法关停并拆除窑体',
        accountability: '对镇安环办负责人约谈',
        orderedRectify: true,
        interviewed: 1,
        closedAfter: 7,
      },
      {
        code: 'X17081605',
        summary: '杨林街道某小区地下车库汽修店废机油乱倒',
        district: '杨林街道',
        pollutionType: '固体废物',
        unit: 'YLJD',
        verdict: '不属实',
        handling: '现场核查该汽修店废机油交有资质单位处置，台账齐全，未发现乱倒；已向投诉人反馈',
        closedAfter: 3,
      },
    ],
  },
];
