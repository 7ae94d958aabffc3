import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock.js';
import { DomainException, notFound } from '../../common/domain-exception.js';
import { cleanText } from '../../common/control-chars.js';
import { EngineService } from '../../engine/engine.service.js';
import { ProblemsRepository } from '../../problems/problems.repository.js';
import type { ObjectionDto } from './signoff.dto.js';
import { MSG_OBJECTION } from './signoff-process.js';
import { SignoffRepository } from './signoff.repository.js';

/** Objections one address may file per hour, and one notice may collect in all. */
export const OBJECTIONS_PER_HOUR = 5;
export const OBJECTIONS_PER_NOTICE = 200;

/** 公示 and its objections (异议), and a problem's sign-off record. */
@Injectable()
export class SignoffService {
  constructor(
    private readonly repo: SignoffRepository,
    private readonly problems: ProblemsRepository,
    private readonly engine: EngineService,
    private readonly clock: Clock,
  ) {}

  async publicNotices(page: number, pageSize: number) {
    const rows = await this.repo.publicNotices((page - 1) * pageSize, pageSize);
    return {
      items: rows.map((r) => ({
        code: r.code,
        summary: r.title,
        category: r.category,
        leadUnit: r.lead_unit_name,
        startedAt: r.started_at,
        endsOn: r.ends_on,
      })),
      total: rows.length ? Number(rows[0].total) : 0,
      page,
      pageSize,
    };
  }

  /** 异议: stored, then sent to the sign-off waiting out its notice (one already under review takes it there). */
  async object(code: string, dto: ObjectionDto, address: string) {
    const p = await this.problems.findByCode(code);
    if (!p) throw notFound('problem', code);
    const notice = await this.repo.openNoticeOf(p.id);
    if (!notice) throw new DomainException('NOT_ON_NOTICE', 409, `问题 ${code} 不在销号公示期内，不能提出异议`);
    const now = this.clock.date();
    const counts = await this.repo.objectionCounts(address, new Date(now.getTime() - 3_600_000), notice.id);
    if (counts.recent >= OBJECTIONS_PER_HOUR)
      throw new DomainException(
        'TOO_MANY_OBJECTIONS',
        429,
        `同一来源每小时最多提出 ${OBJECTIONS_PER_HOUR} 条异议，请稍后再试`,
      );
    if (counts.onNotice >= OBJECTIONS_PER_NOTICE)
      throw new DomainException(
        'TOO_MANY_OBJECTIONS',
        429,
        `该问题已收到 ${OBJECTIONS_PER_NOTICE} 条异议，办公室正在核查`,
      );
    const clean = (s: string | undefined) => (s ? cleanText(s).trim() || null : null);
    const content = clean(dto.content);
    if (!content || content.length < 5)
      throw new DomainException('VALIDATION', 422, 'content：异议内容至少 5 个字', {
        fields: [{ field: 'content', message: '异议内容至少 5 个字' }],
      });
    const row = await this.repo.addObjection(
      { noticeId: notice.id, problemId: p.id, name: clean(dto.name), contact: clean(dto.contact), content },
      address,
      now,
    );
    try {
      await this.engine.correlateMessage(MSG_OBJECTION, { businessKey: code });
    } catch (err) {
      // Already under review (an earlier objection took the sign-off there): the office reads this one too.
      if (!(err instanceof DomainException && err.code === 'NO_CORRELATION')) throw err;
    }
    return { id: row.id, code, receivedAt: row.created_at, message: '异议已收到，办公室将在核查后处理' };
  }

  /** The problem's sign-off record: each notice with its objections, and the filings upward. */
  async record(problemId: string) {
    const [notices, objections, filings, checks] = await Promise.all([
      this.repo.noticesOf(problemId),
      this.repo.objectionsOf(problemId),
      this.repo.filingsOf(problemId),
      this.problems.effectChecksOf(problemId),
    ]);
    return {
      notices: notices.map((n) => ({
        id: n.id,
        days: n.notice_days,
        startedAt: n.started_at,
        endsOn: n.ends_on,
        closedAt: n.closed_at,
        outcome: n.outcome,
        objections: objections
          .filter((o) => o.notice_id === n.id)
          .map((o) => ({
            id: o.id,
            name: o.name,
            contact: o.contact,
            content: o.content,
            createdAt: o.created_at,
            decision: o.decision,
            decisionComment: o.decision_comment,
            decidedBy: o.decided_by,
            decidedAt: o.decided_at,
          })),
      })),
      filings: filings.map((f) => ({ id: f.id, toLevel: f.to_level, filedAt: f.filed_at })),
      effectChecks: checks.map((c) => ({
        id: c.id,
        checkedAt: c.checked_at,
        checkedBy: c.checked_by,
        rebound: c.rebound,
        effective: c.effective,
        findings: c.findings,
      })),
    };
  }
}
