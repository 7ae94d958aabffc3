import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../clock/clock.js';
import { DomainException } from '../../common/domain-exception.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { monthEnd } from '../rules/month.js';
import { issuerOf } from '../bulletin-view.js';
import { AssessmentRepository } from './assessment.repository.js';
import { assessmentWorkbook } from './assessment-workbook.js';
import {
  computeAssessment,
  MAX_YEAR,
  MIN_YEAR,
  monthsOver,
  yearSpan,
  type AssessmentData,
} from './assessment-rules.js';
import { checkWeights, weightsFromRows, type AssessmentWeights } from './assessment-weights.js';

/** 年度考核: the year's score per unit, from the records, with the office's weights. */
@Injectable()
export class AssessmentService {
  constructor(
    private readonly repo: AssessmentRepository,
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** A year of 2000–2100 that has begun; 422 otherwise, in Chinese. */
  checkYear(raw: string): number {
    const year = /^\d{4}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
      throw new DomainException('VALIDATION', 422, `year：${raw} 不是 ${MIN_YEAR}–${MAX_YEAR} 之间的年份`, {
        fields: [{ field: 'year', message: `应为 ${MIN_YEAR}–${MAX_YEAR} 之间的年份` }],
      });
    if (yearSpan(year).from > this.clock.now())
      throw new DomainException('YEAR_NOT_BEGUN', 422, `${year} 年尚未开始，无法考核`);
    return year;
  }

  async year(raw: string): Promise<AssessmentData> {
    const year = this.checkYear(raw);
    const now = this.clock.now();
    const span = yearSpan(year);
    const cutoff = new Date(Math.min(span.to, now + 1));
    const months = monthsOver(year, now);
    const weights = await this.weights();
    const problems = await this.repo.problems(cutoff);
    const actions = await this.repo.actions(new Date(span.from), cutoff);
    const reports = await this.repo.reports(
      months,
      months.map((m) => new Date(monthEnd(m))),
    );
    const names = await this.repo.unitNames();
    return computeAssessment(year, now, weights, problems, actions, reports, (c) => names.get(c) ?? c);
  }

  /**
   * The year the clock is in, so far; when nothing in it is on record yet (early January, a ledger whose
   * history ended years ago), the last year before it that has records, back to the first problem's year.
   */
  async current(): Promise<AssessmentData> {
    const currentYear = Number(chinaDate(this.clock.now()).slice(0, 4));
    const first = await this.repo.firstYear();
    const current = await this.year(String(currentYear));
    for (let y = currentYear - 1; !current.records && y >= Math.max(first ?? currentYear, MIN_YEAR); y--) {
      const data = await this.year(String(y));
      if (data.records) return { ...data, currentYear };
    }
    return { ...current, currentYear };
  }

  /** The year as a workbook in the assessment's layout. */
  async workbook(raw: string): Promise<Buffer> {
    const data = await this.year(raw);
    return assessmentWorkbook(data, issuerOf(await this.repo.cityName()));
  }

  async weights(): Promise<AssessmentWeights> {
    return weightsFromRows(await this.repo.weightRows());
  }

  /** A partial change, checked as a whole; 422 naming every bad field. */
  async putWeights(patch: Record<string, unknown>): Promise<AssessmentWeights> {
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('supervision_setting'))`);
      const { merged, problems } = checkWeights(weightsFromRows(await this.repo.weightRows(m)), patch);
      if (problems.length)
        throw new DomainException('VALIDATION', 422, problems.map((p) => `${p.field}：${p.message}`).join('；'), {
          fields: problems,
        });
      const at = this.clock.date();
      for (const key of Object.keys(patch))
        await this.repo.putWeight(key, merged[key as keyof AssessmentWeights], at, m);
      return merged;
    });
  }
}
