import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock.js';
import { DomainException, notFound } from '../../common/domain-exception.js';
import { isMonth, monthOf } from '../rules/month.js';
import { IndicatorRepository } from './indicator.repository.js';
import { indicatorViews, meets, targetFor, type IndicatorView } from './indicator-rules.js';

/** 目标任务: the plan's indicators tracked against the monthly values the office enters. */
@Injectable()
export class IndicatorService {
  constructor(
    private readonly repo: IndicatorRepository,
    private readonly clock: Clock,
  ) {}

  async list(year?: number): Promise<IndicatorView[]> {
    const [targets, values] = await Promise.all([this.repo.targets(), this.repo.values(year)]);
    return indicatorViews(targets, values);
  }

  async putValue(code: string, month: string, value: number) {
    if (!isMonth(month))
      throw new DomainException('VALIDATION', 422, `month：${month} 不是月份（YYYY-MM）`, {
        fields: [{ field: 'month', message: '应为月份（YYYY-MM）' }],
      });
    if (month > monthOf(this.clock.now()))
      throw new DomainException('VALIDATION', 422, `month：${month} 尚未到来`, {
        fields: [{ field: 'month', message: '未来的月份还没有数值' }],
      });
    const targets = await this.repo.targets(code);
    if (!targets.length) throw notFound('indicator', code);
    const unit = targets[0].unit;
    if (unit === '%' && value > 100)
      throw new DomainException('VALIDATION', 422, 'value：百分比不能大于 100', {
        fields: [{ field: 'value', message: '不能大于 100' }],
      });
    await this.repo.upsertValue({ code, month, value }, this.clock.date());
    const target = targetFor(Number(month.slice(0, 4)), targets);
    return {
      code,
      month,
      value,
      unit,
      target,
      direction: targets[0].direction,
      met: meets(value, target, targets[0].direction),
    };
  }
}
