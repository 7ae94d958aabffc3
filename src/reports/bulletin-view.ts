import { monthLabel } from './rules/month.js';

export type { BulletinView } from '../web/shared/report-types.js';

export function bulletinTitle(month: string): string {
  return `关于${monthLabel(month)}环保督察反馈问题整改情况的通报`;
}

/** 天门市 → 天门市环境保护督察整改工作领导小组办公室 (the office that issues bulletins and notices). */
export function issuerOf(cityName: string | null): string {
  const city = (cityName ?? '').replace(/(人民政府|委员会|市委市政府)$/, '');
  return `${city}环境保护督察整改工作领导小组办公室`;
}

/** 督改通〔2018〕3号: the office's bulletins are numbered per calendar year of issue. */
export function bulletinNumber(year: number, seq: number): string {
  return `督改通〔${year}〕${seq}号`;
}
