import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../engine/definition.service.js';
import { CalendarService } from '../../calendar/calendar.service.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { ActionsRepository } from '../../supervision/actions/actions.repository.js';
import { LaggingService } from '../../supervision/ladder/lagging.service.js';
import { officeTime, officeWeekBefore } from '../../supervision/ladder/ladder-rules.js';
import { SettingsService } from '../../supervision/settings/settings.service.js';
import type { BulletinView } from '../bulletin-view.js';
import { monthLabel } from '../rules/month.js';

/**
 * What the monthly cycle leaves in the supervision record, through the supervision module: 催报 for the
 * problems whose monthly report is missing (an `urge` action and a yellow light, once per problem and
 * month), and a 督办单 (`notice`) for each unit a published bulletin names, listing its problems, once a month.
 */
@Injectable()
export class NoticeWriter {
  constructor(
    private readonly lagging: LaggingService,
    private readonly actions: ActionsRepository,
    private readonly settings: SettingsService,
    private readonly calendar: CalendarService,
  ) {}

  async markLagging(problemIds: string[], month: string, q: Queryable): Promise<number> {
    let n = 0;
    for (const id of problemIds)
      if (await this.lagging.markLagging(id, { reason: `${monthLabel(month)}整改进展逾期未报送`, period: month }, q))
        n++;
    return n;
  }

  /**
   * 月督办: one 督办单 per unit the bulletin names, listing its problems (one number, one row per problem so
   * each problem's record shows it), dated on a working day from 09:00, answered within the working days of
   * the settings. A problem that got a 督办单 from the ladder in the working week before (5 working days): this one cites it.
   */
  async issueForBulletin(b: BulletinView, instanceId: string, at: Date, q: Queryable): Promise<number> {
    const settings = await this.settings.get(q);
    const issuedAt = new Date(officeTime(at.getTime(), (d) => this.calendar.current.isWorkday(d)));
    const today = chinaDate(issuedAt.getTime());
    const replyBy = this.calendar.addWorkdays(today, settings.monthlyReplyDays);
    let issued = 0;
    for (const l of b.laggards) {
      const overdue = new Set(l.overdue.map((p) => p.code));
      const named = [
        ...l.overdue.map((p) => ({ ...p, late: true })),
        ...l.missingReports.filter((p) => !overdue.has(p.code)).map((p) => ({ ...p, late: false })),
      ];
      const listed: {
        id: string;
        responsible_person: string | null;
        code: string;
        title: string;
        deadline: string;
        late: boolean;
        why: string;
      }[] = [];
      for (const p of named) {
        const [problem] = await q.query(`SELECT id, responsible_person FROM problem WHERE code = $1`, [p.code]);
        if (!problem) continue;
        listed.push({
          ...problem,
          code: p.code,
          title: p.title,
          deadline: p.deadline,
          late: p.late,
          why: p.late ? `整改时限${p.deadline}已过、至今未销号` : `未按时报送${monthLabel(b.month)}整改进展`,
        });
      }
      if (!listed.length) continue;
      const dedupe = (id: string) => `monthly-notice:${id}:${b.month}`;
      // Once per unit and month: a re-run step finds the unit's notice already issued.
      if (await this.actions.findByDedupe(q, dedupe(listed[0].id))) continue;
      const documentNo = (await this.actions.documentNo(q, 'notice', issuedAt))!;
      const problems = listed.map((p) => ({
        code: p.code,
        title: p.title,
        deadline: p.deadline,
        reason: p.late ? 'overdue' : 'report-missing',
      }));
      const lines = listed.map((p, i) => `${i + 1}. ${p.code}“${p.title}”：${p.why}`).join('；');
      for (const p of listed) {
        const earlier = await this.actions.recentNotice(
          q,
          p.id,
          officeWeekBefore(today, (f, n) => this.calendar.addWorkdays(f, n)),
        );
        const cites = earlier
          ? `（该问题已于${chinaDate(earlier.issuedAt.getTime())}以${earlier.documentNo}督办，请一并答复）`
          : '';
        await this.actions.issue(
          q,
          {
            problemId: p.id,
            unitCode: l.unit,
            personId: await this.actions.personId(q, l.unit, p.responsible_person),
            type: 'notice',
            status: 'issued',
            title: `督办单：${l.unitName}${monthLabel(b.month)}未按期整改问题（${listed.length}项）`,
            body: {
              source: 'monthly-cycle',
              bulletinMonth: b.month,
              bulletinNo: b.documentNo,
              reason: p.late ? 'overdue' : 'report-missing',
              problemCode: p.code,
              problemTitle: p.title,
              leadUnit: l.unit,
              leadUnitName: l.unitName,
              deadline: p.deadline,
              problems,
              issuedOn: today,
              replyDays: settings.monthlyReplyDays,
              replyBy,
              ...(earlier ? { cites: earlier.documentNo } : {}),
              text: `${l.unitName}：你单位牵头的以下问题已在${b.documentNo ?? '本月通报'}中通报：${lines}。请于${replyBy}前（${settings.monthlyReplyDays}个工作日内）整改到位并书面报告整改情况。${p.code}${cites}`,
            },
            deadline: replyBy,
            processInstanceId: instanceId,
            dedupeKey: dedupe(p.id),
            documentNo,
          },
          issuedAt,
        );
      }
      issued++;
    }
    return issued;
  }
}
