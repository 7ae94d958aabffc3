import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AccessResolvers } from '../auth/access-resolvers.js';
import { Clock } from '../clock/clock.js';
import { DomainException } from '../common/domain-exception.js';
import type { Queryable } from '../engine/definition.service.js';
import { chinaDate } from '../problems/rules/china-date.js';
import { BulletinRepository, type PublishedRow } from './bulletin.repository.js';
import { bulletinNumber, bulletinTitle, issuerOf, type BulletinView } from './bulletin-view.js';
import { computeBulletin, cutoffOf, scopeBulletin } from './rules/bulletin-rules.js';
import { firstDay, isMonth, monthEnd, dayStart } from './rules/month.js';

function checkMonth(month: string): void {
  if (!isMonth(month))
    throw new DomainException('VALIDATION', 422, `month：${month} 不是月份（YYYY-MM）`, {
      fields: [{ field: 'month', message: '应为月份（YYYY-MM）' }],
    });
}

/**
 * 月通报: a month's bulletin, computed from the ledger's dates as of the month's end; once published, the
 * stored snapshot is the bulletin (a frozen record), and recomputing the month still gives the same figures.
 */
@Injectable()
export class BulletinService implements OnModuleInit {
  constructor(
    private readonly repo: BulletinRepository,
    private readonly clock: Clock,
    private readonly resolvers: AccessResolvers,
  ) {}

  /** A unit reads a month's bulletin once it is published, as published: never a draft or a recomputation. */
  onModuleInit(): void {
    this.resolvers.register('bulletin', async (month, _user, opts) => {
      if (!isMonth(month) || opts.query?.recompute === 'true') return false;
      return (await this.repo.find(month)) !== null;
    });
  }

  /**
   * The published snapshot, or the figures so far for a month not published; `within` (an office of a lower
   * level's unit) restricts either to that unit's subtree.
   */
  async get(month: string, within: string | null = null): Promise<BulletinView> {
    checkMonth(month);
    const published = await this.repo.find(month);
    return this.scoped(published ? frozen(published) : await this.compute(month), within);
  }

  /** Computed afresh, restricted to the subtree of `within` when given. */
  async recompute(month: string, within: string | null = null): Promise<BulletinView> {
    return this.scoped(await this.compute(month), within);
  }

  private async scoped(b: BulletinView, within: string | null): Promise<BulletinView> {
    if (!within) return b;
    const tree = await this.repo.subtree(within);
    if (!tree) throw new DomainException('UNIT_NOT_FOUND', 404, `没有编码为 ${within} 的单位`);
    return { ...scopeBulletin(b, (u) => tree.codes.has(u)), scope: { unit: within, unitName: tree.name } };
  }

  /** Computed afresh from the ledger, as of the month's end (or now, for the current month), whether published or not. */
  async compute(month: string, q?: Queryable): Promise<BulletinView> {
    checkMonth(month);
    const now = this.clock.now();
    if (dayStart(firstDay(month)) > now) throw new DomainException('MONTH_NOT_BEGUN', 422, `${month} 月尚未开始`);
    const cutoff = new Date(cutoffOf(month, now));
    // One after another: in a step's transaction the queries share one connection.
    const problems = await this.repo.problemFacts(cutoff, q);
    const reports = await this.repo.reportFacts(month, cutoff, q);
    const parts = await this.repo.partFacts(cutoff, q);
    const units = await this.repo.unitNames(q);
    const data = computeBulletin(month, now, problems, reports, (c) => units.names.get(c) ?? c, parts);
    return {
      ...data,
      title: bulletinTitle(month),
      issuer: issuerOf(units.city),
      documentNo: null,
      published: false,
      publishedAt: null,
    };
  }

  async list() {
    const rows = await this.repo.list();
    return rows.map((r) => ({
      month: r.month,
      documentNo: r.document_no,
      asOf: r.as_of,
      publishedAt: r.published_at,
      publishedBy: r.published_by,
    }));
  }

  /** Freezes a month that is over; 409 when it is already published or not over yet. */
  async publish(month: string, by: string): Promise<BulletinView> {
    checkMonth(month);
    if (this.clock.now() < monthEnd(month))
      throw new DomainException('MONTH_NOT_OVER', 409, `${month} 月尚未结束：月通报在月末之后发布`);
    const existing = await this.repo.find(month);
    if (existing)
      throw new DomainException(
        'ALREADY_PUBLISHED',
        409,
        `${month} 月通报已于 ${existing.published_at.toISOString()} 发布（${existing.document_no}）`,
      );
    const res = await this.publishIfAbsent(month, by);
    if (!res.created) throw new DomainException('ALREADY_PUBLISHED', 409, `${month} 月通报在此期间已发布`);
    return res.bulletin;
  }

  /**
   * The monthly cycle's 月通报: publishes once (in the caller's transaction), answers the bulletin either way.
   * `at`: when it was published, for the demo's history (its months published on their own dates); now otherwise.
   */
  async publishIfAbsent(
    month: string,
    by: string,
    q?: Queryable,
    at?: Date,
  ): Promise<{ bulletin: BulletinView; created: boolean }> {
    const existing = await this.repo.find(month, q);
    if (existing) return { bulletin: frozen(existing), created: false };
    const now = at ?? this.clock.date();
    const data = await this.compute(month, q);
    const year = Number(chinaDate(now.getTime()).slice(0, 4));
    const documentNo = bulletinNumber(year, (await this.repo.countIssuedIn(year, q)) + 1);
    const snapshot: BulletinView = { ...data, documentNo, published: true, publishedAt: now.toISOString() };
    const created = await this.repo.insert(
      { month, document_no: documentNo, as_of: new Date(data.asOf), published_at: now, published_by: by, snapshot },
      q,
    );
    if (!created) return { bulletin: frozen((await this.repo.find(month, q))!), created: false };
    return { bulletin: snapshot, created: true };
  }
}

function frozen(row: PublishedRow): BulletinView {
  return {
    ...row.snapshot,
    published: true,
    documentNo: row.document_no,
    publishedAt: new Date(row.published_at).toISOString(),
  };
}
