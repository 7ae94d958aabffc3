import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../clock/clock.js';
import { DomainException, notFound } from '../common/domain-exception.js';
import { isUuid } from '../engine/engine.service.js';
import { chinaDate, isValidDate } from '../problems/rules/china-date.js';
import { issuerOf } from '../reports/bulletin-view.js';
import type { ListPetitionsQuery } from './dto/list-petitions.query.js';
import { batchView, petitionView, publicPetitionView } from './petition-view.js';
import { PetitionsRepository, type BatchRow } from './petitions.repository.js';
import type { DailyReport } from './report/daily-report.js';
import { countsOf } from './report/petition-counts.js';

/** Reading the batches and their numbers, the daily report, and publication (信访件办理情况公开). */
@Injectable()
export class PetitionsService {
  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async listBatches() {
    const [batches, counts] = await Promise.all([this.petitions.listBatches(), this.petitions.counts('batch', {})]);
    const byCode = new Map(counts.map((c) => [c.group, c]));
    return { items: batches.map((b) => batchView(b, countsOf(byCode.get(b.code)))) };
  }

  async getBatch(id: string, f: ListPetitionsQuery) {
    const b = await this.batch(id);
    const [counts, byDistrict, byType, list] = await Promise.all([
      this.petitions.counts('all', { batchId: b.id }),
      this.petitions.counts('district', { batchId: b.id }),
      this.petitions.counts('pollution_type', { batchId: b.id }),
      this.petitions.list(b.id, {
        district: f.district,
        pollutionType: f.pollutionType,
        status: f.status,
        verdict: f.verdict,
        unit: f.unit,
        q: f.q?.trim() || undefined,
        limit: f.pageSize,
        offset: (f.page - 1) * f.pageSize,
      }),
    ]);
    const today = chinaDate(this.clock.now());
    return {
      ...batchView(b, countsOf(counts[0])),
      byDistrict: byDistrict.map((c) => ({ name: c.group ?? '', counts: countsOf(c) })),
      byPollutionType: byType.map((c) => ({ name: c.group ?? '', counts: countsOf(c) })),
      complaints: {
        items: list.rows.map((p) => petitionView(p, b.close_by, today)),
        total: list.total,
        page: f.page,
        pageSize: f.pageSize,
      },
    };
  }

  /** The daily report for `date` (default today): that day's batches, the round so far, by district and type. */
  async report(date?: string): Promise<DailyReport> {
    const day = date ?? chinaDate(this.clock.now());
    if (!isValidDate(day))
      throw new DomainException('VALIDATION', 422, 'date：不是有效日期（YYYY-MM-DD）', {
        fields: [{ field: 'date', message: '不是有效日期（YYYY-MM-DD）' }],
      });
    const [batches, perBatch, all, byDistrict, byType, city] = await Promise.all([
      this.petitions.listBatches(),
      this.petitions.counts('batch', { upTo: day }),
      this.petitions.counts('all', { upTo: day }),
      this.petitions.counts('district', { upTo: day }),
      this.petitions.counts('pollution_type', { upTo: day }),
      this.petitions.cityName(),
    ]);
    const byCode = new Map(perBatch.map((c) => [c.group, c]));
    const upTo = batches.filter((b) => b.status === 'done' && b.received_on <= day).reverse();
    return {
      date: day,
      issuer: issuerOf(city),
      today: upTo
        .filter((b) => b.received_on === day)
        .map((b) => ({ code: b.code, title: b.title, counts: countsOf(byCode.get(b.code)) })),
      batches: upTo.map((b) => ({
        code: b.code,
        title: b.title,
        receivedOn: b.received_on,
        closeBy: b.close_by,
        counts: countsOf(byCode.get(b.code)),
      })),
      cumulative: countsOf(all[0]),
      byDistrict: byDistrict.map((c) => ({ name: c.group ?? '', counts: countsOf(c) })),
      byPollutionType: byType.map((c) => ({ name: c.group ?? '', counts: countsOf(c) })),
    };
  }

  /** 公开: the batch's results become public; a batch still being imported cannot be. */
  async publish(id: string, user: AuthUser) {
    const b = await this.batch(id);
    if (b.status !== 'done') throw new DomainException('NOT_IMPORTED', 409, `批次 ${b.code} 尚未导入完成，不能公开`);
    if (!b.published_at) {
      await this.petitions.markPublished(b.id, this.clock.date(), user.username);
      await this.audit.record({
        actor: user.accountId,
        actorName: user.username,
        action: 'petitions.published',
        entityType: 'petition_batch',
        entityId: b.id,
        details: { code: b.code },
      });
    }
    return batchView((await this.petitions.findBatch(b.id))!);
  }

  async publicBatches() {
    const [batches, counts] = await Promise.all([this.petitions.listBatches(true), this.petitions.counts('batch', {})]);
    const byCode = new Map(counts.map((c) => [c.group, c]));
    return {
      items: batches.map((b) => publicBatch(b, countsOf(byCode.get(b.code)))),
    };
  }

  async publicBatch(id: string) {
    const b = isUuid(id) ? await this.petitions.findBatch(id) : null;
    if (!b || !b.published_at) throw notFound('已公开的信访件批次', id);
    const [counts, rows] = await Promise.all([
      this.petitions.counts('all', { batchId: b.id }),
      this.petitions.publicList(b.id),
    ]);
    return { ...publicBatch(b, countsOf(counts[0])), complaints: rows.map(publicPetitionView) };
  }

  /** The complaint a task of its process is about, without the complainant's data (the office keeps those). */
  async ofTask(taskId: string) {
    const task = isUuid(taskId) ? await this.petitions.taskInstance(taskId) : null;
    const p = task ? await this.petitions.findByInstance(task) : null;
    if (!p) throw notFound('信访件', taskId);
    const b = (await this.petitions.findBatch(p.batch_id))!;
    return {
      code: p.code,
      batch: b.title,
      summary: p.summary,
      district: p.district,
      pollutionType: p.pollution_type,
      closeBy: b.close_by,
      verdict: p.verdict,
      investigation: p.investigation,
      handling: p.handling,
      returned: p.returned_count,
      reviewComment: p.review_comment,
    };
  }

  private async batch(id: string): Promise<BatchRow> {
    const b = isUuid(id) ? await this.petitions.findBatch(id) : null;
    if (!b) throw notFound('信访件批次', id);
    return b;
  }
}

function publicBatch(b: BatchRow, counts: ReturnType<typeof countsOf>) {
  return {
    id: b.id,
    code: b.code,
    title: b.title,
    receivedOn: b.received_on,
    closeBy: b.close_by,
    publishedAt: b.published_at,
    counts: { ...counts, chased: undefined },
  };
}
