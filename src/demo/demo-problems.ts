import { DEMO_TOWNS } from './demo-org.js';

/**
 * The problems of the seed's plan (天门市贯彻落实中央第三环境保护督察组督察反馈意见整改方案, 3 Aug 2017),
 * one per measure, with the plan's own deadlines (6月底前 → 2017-06-30, 10月底前 → 2017-10-31, 2017年底前,
 * 2020年底前) and, where it gives none, the end of 2017 for short tasks and mid-2018 for works.
 *
 * `history` is a plausible course, not a record: when the plan's problems were signed off (销号) and
 * re-checked (回头看). The loader applies what lies before its clock: at the plan's date (the simulation)
 * nothing has happened; on today's clock the closed ones are records of the past and the rest are late.
 */
export interface DemoProblem {
  code: string;
  category: '大气' | '水' | '产业' | '执法' | '机制';
  title: string;
  goal: string;
  lead: string;
  units: string[];
  deadline: string;
  history: { planned?: string; signedOff?: string; rechecked?: string };
}

export const DEMO_SOURCE = '中央第三环境保护督察组督察反馈意见（2017）';
export const DEMO_ASSIGNED_ON = '2017-08-03';

const towns = DEMO_TOWNS;

export const DEMO_PROBLEMS: DemoProblem[] = [
  { code: 'TM2017-01', category: '大气', title: '加油站、储油库、油罐车油气回收治理未全面完成', goal: '全市加油站、储油库、油罐车全部完成油气回收治理并验收', lead: 'SWUJ', units: ['HBJ', 'ZJJ'], deadline: '2017-06-30',
    history: { planned: '2017-08-20', signedOff: '2017-09-26', rechecked: '2018-03-28' } },
  { code: 'TM2017-02', category: '大气', title: '黄标车淘汰任务未完成', goal: '10月底前基本淘汰黄标车，建立机动车环保检验长效监管', lead: 'GAJ', units: ['HBJ', 'JTJ'], deadline: '2017-10-31',
    history: { planned: '2017-08-18', signedOff: '2017-10-27', rechecked: '2018-04-26' } },
  { code: 'TM2017-03', category: '大气', title: '中心城区20蒸吨以下燃煤锅炉未淘汰关停', goal: '中心城区实施禁煤，20蒸吨以下燃煤锅炉全部淘汰关停或清洁能源改造', lead: 'HBJ', units: ['ZJJ', 'JXW'], deadline: '2017-12-31',
    history: { planned: '2017-08-25', signedOff: '2018-03-22', rechecked: '2018-09-25' } },
  { code: 'TM2017-04', category: '大气', title: '城市道路、施工工地、料堆及裸露地面扬尘污染突出', goal: '施工工地六个百分之百落实到位，主次干道机扫率达到标准', lead: 'ZJW', units: ['CGJ', 'JTJ'], deadline: '2017-12-31',
    history: { planned: '2017-08-24', signedOff: '2018-01-26', rechecked: '2018-07-30' } },
  { code: 'TM2017-05', category: '大气', title: '秋冬季秸秆露天焚烧防控不力', goal: '秸秆露天焚烧火点动态清零，综合利用率达到省定目标', lead: 'NYJ', units: ['HBJ', ...towns], deadline: '2017-11-30',
    history: { planned: '2017-08-22', signedOff: '2017-11-28', rechecked: '2018-05-29' } },
  { code: 'TM2017-06', category: '大气', title: '重污染天气应急预案未出台、预警响应机制不健全', goal: '出台市级重污染天气应急预案，统一预警和响应标准并开展演练', lead: 'HBJ', units: ['CGJ', 'ZJW'], deadline: '2017-09-30',
    history: { planned: '2017-08-15', signedOff: '2017-09-25', rechecked: '2018-03-26' } },
  { code: 'TM2017-07', category: '大气', title: '工业企业挥发性有机物污染治理滞后', goal: '重点行业企业完成VOCs治理，安装在线监控', lead: 'HBJ', units: ['JXW', 'KFQ'], deadline: '2018-06-30',
    history: { planned: '2017-09-05', signedOff: '2018-06-25', rechecked: '2018-12-27' } },
  { code: 'TM2017-08', category: '水', title: '市镇两级河湖长制体系未建立', goal: '2017年底前全面建成并完善市镇两级河湖长制体系，河湖长公示牌设立到位', lead: 'SWJ', units: towns, deadline: '2017-12-31',
    history: { planned: '2017-08-21', signedOff: '2017-12-21', rechecked: '2018-06-26' } },
  { code: 'TM2017-09', category: '水', title: '乡镇集中式饮用水水源保护区划定和清理整治滞后', goal: '完成乡镇饮用水水源保护区划定，保护区内违法建设项目和排污口全部清理', lead: 'HBJ', units: ['SWJ', ...towns], deadline: '2020-12-31',
    history: { planned: '2017-09-10' } },
  { code: 'TM2017-10', category: '水', title: '集中式饮用水水源地保护区内存在排污口和违规建设项目', goal: '一个水源地一套方案，保护区内排污口、违规项目全部清除', lead: 'HBJ', units: ['SWJ', 'JLJD'], deadline: '2017-12-31',
    history: { planned: '2017-08-28', signedOff: '2017-12-27', rechecked: '2018-06-28' } },
  { code: 'TM2017-11', category: '水', title: '湖泊水产养殖围网未全面拆除', goal: '全面完成湖泊水产养殖围网拆除，严厉打击侵湖行为', lead: 'SCJ', units: ['DBZ', 'ZGZ'], deadline: '2017-12-31',
    history: { planned: '2017-08-23', signedOff: '2017-12-28', rechecked: '2018-06-29' } },
  { code: 'TM2017-12', category: '水', title: '天门河、杨家新沟截污工程未完成，城区河流有污水直排', goal: '完成天门河、杨家新沟截污工程，城区河流无污水直排', lead: 'ZJW', units: ['SWJ', 'JLJD', 'YLJD'], deadline: '2018-12-31',
    history: { planned: '2017-09-12', signedOff: '2019-04-25', rechecked: '2019-10-28' } },
  { code: 'TM2017-13', category: '水', title: '部分乡镇未建污水处理厂，城镇污水直排', goal: '全市所有乡镇建成污水处理厂并正常运行', lead: 'ZJW', units: ['FGW', ...towns], deadline: '2018-12-31',
    history: { planned: '2017-09-15' } },
  { code: 'TM2017-14', category: '水', title: '汉江及其支流非法码头、非法采砂整治不彻底', goal: '非法码头全部取缔，非法采砂保持高压态势，岸线完成修复', lead: 'JTJ', units: ['SWJ', 'GAJ', 'YKZ'], deadline: '2017-12-31',
    history: { planned: '2017-08-25', signedOff: '2017-12-15', rechecked: '2018-06-20' } },
  { code: 'TM2017-15', category: '水', title: '汉江及其支流排污口整治与监管不到位', goal: '完成排污口排查整治，饮用水水源保护区内无排污口', lead: 'HBJ', units: ['SWJ', 'YKZ'], deadline: '2018-06-30',
    history: { planned: '2017-09-08', signedOff: '2018-06-28', rechecked: '2018-12-28' } },
  { code: 'TM2017-16', category: '水', title: '天门河沿线畜禽养殖污染治理滞后，禁养区养殖场未关闭搬迁', goal: '禁养区内规模养殖场全部关闭搬迁，规模养殖场粪污处理设施配套率达标', lead: 'XMJ', units: ['HBJ', 'JLJD', 'ZSZ'], deadline: '2017-12-31',
    history: { planned: '2017-08-30', signedOff: '2018-05-30', rechecked: '2018-11-29' } },
  { code: 'TM2017-17', category: '水', title: '“四湖六河”河湖连通和退田还湖工程推进缓慢', goal: '实施“四湖六河”河湖连通工程，稳步推进退田还湖、退渔还湖', lead: 'SWJ', units: ['FGW', 'SCJ', 'DBZ'], deadline: '2020-12-31',
    history: { planned: '2017-09-20' } },
  { code: 'TM2017-18', category: '产业', title: '工业园区污水集中处理设施、配套管网和自动监控建设滞后', goal: '园区建成集中式污水处理设施、配套管网并安装自动监控，超标企业按日计罚、限产停产', lead: 'KFQ', units: ['HBJ', 'ZJW'], deadline: '2017-12-31',
    history: { planned: '2017-09-01', signedOff: '2018-04-20', rechecked: '2018-10-25' } },
  { code: 'TM2017-19', category: '产业', title: '过剩产能化解和落后工艺设备淘汰不到位', goal: '使用国家明令淘汰落后工艺和设备的企业立即关闭，完成年度去产能任务', lead: 'JXW', units: ['FGW', 'HBJ'], deadline: '2018-06-30',
    history: { planned: '2017-09-06', signedOff: '2018-06-22', rechecked: '2018-12-24' } },
  { code: 'TM2017-20', category: '产业', title: '环境准入把关不严，汉江岸线1公里内新建重化工项目管控缺位', goal: '建立项目环评与规划环评联动机制，汉江岸线1公里内不新建重化工及造纸项目', lead: 'FGW', units: ['HBJ', 'JXW'], deadline: '2017-12-31',
    history: { planned: '2017-08-28', signedOff: '2017-12-20', rechecked: '2018-06-22' } },
  { code: 'TM2017-21', category: '执法', title: '偷排偷放、超标排污等环境违法行为打击不力，行刑衔接不畅', goal: '开展环境执法专项行动，建立环保与公安联动执法机制，案件移送率达标', lead: 'HBJ', units: ['GAJ'], deadline: '2017-12-31',
    history: { planned: '2017-08-20', signedOff: '2017-12-25', rechecked: '2018-06-25' } },
  { code: 'TM2017-22', category: '执法', title: '工业污染源全面达标排放计划和排污许可制落实滞后', goal: '重点行业排污许可证核发到位，双随机抽查全覆盖', lead: 'HBJ', units: ['KFQ'], deadline: '2018-06-30',
    history: { planned: '2017-09-04', signedOff: '2018-06-27', rechecked: '2018-12-27' } },
  { code: 'TM2017-23', category: '机制', title: '网格化环境监管体系不完善，网格责任人职责不清', goal: '市、镇、村三级网格全覆盖，网格人员职责和奖惩办法明确并落实痕迹化管理', lead: 'HBJ', units: towns, deadline: '2017-12-31',
    history: { planned: '2017-08-26', signedOff: '2017-12-26', rechecked: '2018-06-27' } },
  { code: 'TM2017-24', category: '机制', title: '生态环境考核权重偏低，党政同责、一岗双责落实不到位', goal: '生态环境指标纳入领导班子和领导干部考核并提高权重，出台责任追究办法', lead: 'ZZB', units: ['HBJ'], deadline: '2017-12-31',
    history: { planned: '2017-08-24', signedOff: '2017-12-22', rechecked: '2018-06-21' } },
  { code: 'TM2017-25', category: '机制', title: '环境监测监察执法经费和能力建设资金未纳入财政预算', goal: '环保专项资金和监测监察执法经费纳入年度财政预算', lead: 'CZJ', units: ['HBJ'], deadline: '2017-12-31',
    history: { planned: '2017-08-22', signedOff: '2017-12-29', rechecked: '2018-06-29' } },
  { code: 'TM2017-26', category: '机制', title: '市级环境保护督察和“回头看”机制未建立', goal: '开展市级环境保护督察，对反馈问题逐条“回头看”，反弹必追责', lead: 'HBJ', units: ['ZZB'], deadline: '2018-06-30',
    history: { planned: '2017-09-01', signedOff: '2018-06-29', rechecked: '2018-12-28' } },
];
