import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../engine/definition.service.js';
import { addDays, chinaDate } from '../../problems/rules/china-date.js';
import { ActionsRepository } from '../../supervision/actions/actions.repository.js';
import { LaggingService } from '../../supervision/ladder/lagging.service.js';
import type { BulletinView } from '../bulletin-view.js';
import { monthLabel } from '../rules/month.js';

/** A notice answers within this many days (书面报告整改情况). */
const ANSWER_DAYS = 10;

/**
 * What the monthly cycle leaves in the supervision record, through the supervision module: 催报 for the
 * problems whose monthly report is missing (an `urge` action and a yellow light, once per problem and
 * month), and a 督办单 (`notice`) for each problem a published bulletin names, once per problem and month.
 */
@Injectable()
export class NoticeWriter {
  constructor(
    private readonly lagging: LaggingService,
    private readonly actions: ActionsRepository,
  ) {}

  async markLagging(problemIds: string[], month: string, q: Queryable): Promise<number> {
    let n = 0;
    for (const id of problemIds) if (await this.lagging.markLagging(id, { reason: `${monthLabel(month)}整改进展逾期未报送`, period: month }, q)) n++;
    return n;
  }

  async issueForBulletin(b: BulletinView, instanceId: string, at: Date, q: Queryable): Promise<number> {
    let issued = 0;
    for (const l of b.laggards) {
      const overdue = new Set(l.overdue.map((p) => p.code));
      const named = [...l.overdue.map((p) => ({ ...p, late: true })), ...l.missingReports.filter((p) => !overdue.has(p.code)).map((p) => ({ ...p, late: false }))];
      for (const p of named) {
        const [problem] = await q.query(`SELECT id, responsible_person FROM problem WHERE code = $1`, [p.code]);
        if (!problem) continue;
        const why = p.late ? `整改时限${p.deadline}已过、至今未销号` : `未按时报送${monthLabel(b.month)}整改进展`;
        const dedupeKey = `monthly-notice:${problem.id}:${b.month}`;
        if (await this.actions.findByDedupe(q, dedupeKey)) continue;
        await this.actions.issue(
          q,
          {
            problemId: problem.id,
            unitCode: l.unit,
            personId: await this.actions.personId(q, l.unit, problem.responsible_person),
            type: 'notice',
            status: 'issued',
            title: `督办单：${p.code} ${p.title}`,
            body: {
              source: 'monthly-cycle', bulletinMonth: b.month, bulletinNo: b.documentNo, reason: p.late ? 'overdue' : 'report-missing',
              problemCode: p.code, problemTitle: p.title, leadUnit: l.unit, leadUnitName: l.unitName, deadline: p.deadline,
              text: `${l.unitName}：你单位牵头的${p.code}“${p.title}”${why}，已在${b.documentNo ?? '本月通报'}中通报。请于${ANSWER_DAYS}日内整改到位并书面报告整改情况。`,
            },
            deadline: addDays(chinaDate(at.getTime()), ANSWER_DAYS),
            processInstanceId: instanceId,
            dedupeKey,
          },
          at,
        );
        issued++;
      }
    }
    return issued;
  }
}
