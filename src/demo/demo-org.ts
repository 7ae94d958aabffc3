import type { UnitLevel } from '../org/unit-levels.js';

/**
 * The demo city of the seed (天门市, 2017) under the province's rectification office (湖北省整改办, which hands
 * the city problems of its own inspection and splits them down): the city under its Party committee and
 * government (市委、市政府), the departments its rectification plan gives tasks to (no level of their own: they
 * act at the city's), and towns and streets. One handler per unit.
 * The names are as they were in 2017 (市环保局 before the 2019 reform into 市生态环境局).
 */
export interface DemoUnit {
  code: string;
  name: string;
  parent: string | null;
  level?: UnitLevel;
  person: string;
  phone: string;
}

export const DEMO_PROVINCE = 'HBS';
export const DEMO_CITY = 'CITY';

export const DEMO_UNITS: DemoUnit[] = [
  {
    code: DEMO_PROVINCE,
    name: '湖北省整改办',
    parent: null,
    level: 'province',
    person: '黄建国',
    phone: '027-87167001',
  },
  { code: DEMO_CITY, name: '天门市', parent: DEMO_PROVINCE, level: 'city', person: '周立新', phone: '0728-5221001' },
  { code: 'HBJ', name: '市环保局', parent: DEMO_CITY, person: '陈志刚', phone: '0728-5221101' },
  { code: 'FGW', name: '市发改委', parent: DEMO_CITY, person: '刘建华', phone: '0728-5221102' },
  { code: 'JXW', name: '市经信委', parent: DEMO_CITY, person: '王海涛', phone: '0728-5221103' },
  { code: 'ZJW', name: '市住建委', parent: DEMO_CITY, person: '李国强', phone: '0728-5221104' },
  { code: 'CGJ', name: '市城管局', parent: DEMO_CITY, person: '张伟', phone: '0728-5221105' },
  { code: 'JTJ', name: '市交通运输局', parent: DEMO_CITY, person: '赵明', phone: '0728-5221106' },
  { code: 'GAJ', name: '市公安局', parent: DEMO_CITY, person: '孙永红', phone: '0728-5221107' },
  { code: 'SWJ', name: '市水务局', parent: DEMO_CITY, person: '胡文斌', phone: '0728-5221108' },
  { code: 'NYJ', name: '市农业局', parent: DEMO_CITY, person: '何德胜', phone: '0728-5221109' },
  { code: 'XMJ', name: '市畜牧兽医局', parent: DEMO_CITY, person: '郭长江', phone: '0728-5221110' },
  { code: 'SCJ', name: '市水产局', parent: DEMO_CITY, person: '罗清', phone: '0728-5221111' },
  { code: 'SWUJ', name: '市商务局', parent: DEMO_CITY, person: '梁晓东', phone: '0728-5221112' },
  { code: 'ZJJ', name: '市质监局', parent: DEMO_CITY, person: '宋丽', phone: '0728-5221113' },
  { code: 'CZJ', name: '市财政局', parent: DEMO_CITY, person: '唐红梅', phone: '0728-5221114' },
  { code: 'ZZB', name: '市委组织部', parent: DEMO_CITY, person: '韩冰', phone: '0728-5221115' },
  { code: 'KFQ', name: '天门经济开发区管委会', parent: DEMO_CITY, person: '冯涛', phone: '0728-5221116' },
  { code: 'JLJD', name: '竟陵街道', parent: DEMO_CITY, level: 'town', person: '邓军', phone: '0728-5221201' },
  { code: 'YLJD', name: '杨林街道', parent: DEMO_CITY, level: 'town', person: '许芳', phone: '0728-5221202' },
  { code: 'YKZ', name: '岳口镇', parent: DEMO_CITY, level: 'town', person: '曹建平', phone: '0728-5221203' },
  { code: 'DBZ', name: '多宝镇', parent: DEMO_CITY, level: 'town', person: '彭勇', phone: '0728-5221204' },
  { code: 'ZSZ', name: '皂市镇', parent: DEMO_CITY, level: 'town', person: '曾庆华', phone: '0728-5221205' },
  { code: 'ZGZ', name: '张港镇', parent: DEMO_CITY, level: 'town', person: '谢斌', phone: '0728-5221206' },
  { code: 'MYZ', name: '麻洋镇', parent: DEMO_CITY, level: 'town', person: '万金山', phone: '0728-5221207' },
];

/** The towns and streets that share the plan's town-level tasks (乡镇污水、河湖长制、饮用水源地…). */
export const DEMO_TOWNS = ['JLJD', 'YLJD', 'YKZ', 'DBZ', 'ZSZ', 'ZGZ'];

export function demoPerson(unit: string): string {
  return DEMO_UNITS.find((u) => u.code === unit)?.person ?? '';
}
