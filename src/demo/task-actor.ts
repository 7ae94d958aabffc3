import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { EngineService } from '../engine/engine.service.js';
import { MonthlyReportService } from '../reports/monthly/monthly-report.service.js';
import { ModuleRef } from '@nestjs/core';
import { addDays, chinaDate } from '../problems/rules/china-date.js';
import { ExtensionService } from '../supervision/extension/extension.service.js';
import { FilesService } from '../files/files.service.js';
import type { EvidenceCategory } from '../files/evidence-category.js';
import { SignoffService } from '../supervision/signoff/signoff.service.js';
import { runInCallContext, type PastAct } from '../auth/call-context.js';
import { formData, mixedRoles, plannedAt, type OpenTask, type Role } from './task-plans.js';

export interface ActResult {
  completed: number;
  failed: { taskId: string; activityId: string; message: string }[];
}

/**
 * Plays the units and the office in the demo and the simulation: completes open tasks with plausible form
 * data, each at the time a diligent unit would (task-plans.ts), or the tasks of one problem at once.
 */
@Injectable()
export class TaskActor {
  private readonly logger = new Logger('demo');

  constructor(
    private readonly db: DataSource,
    private readonly engine: EngineService,
    private readonly reports: MonthlyReportService,
    private readonly clock: Clock,
    private readonly moduleRef: ModuleRef,
  ) {}

  async openTasks(businessKey?: string): Promise<OpenTask[]> {
    const rows: any[] = await this.db.query(
      `SELECT t.id, t.definition_key, t.activity_id, t.form_key, t.business_key, t.input ->> 'unit' AS unit, t.created_at, t.due_at,
         p.deadline::text AS deadline, p.title, p.responsible_person
       FROM engine_task t LEFT JOIN problem p ON p.code = t.business_key
       WHERE ($1::text IS NULL OR t.business_key = $1) ORDER BY t.created_at, t.id`,
      [businessKey ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      definitionKey: r.definition_key,
      activityId: r.activity_id,
      formKey: r.form_key,
      businessKey: r.business_key,
      unit: r.unit,
      createdAt: new Date(r.created_at).getTime(),
      dueAt: r.due_at ? new Date(r.due_at).getTime() : null,
      deadline: r.deadline,
      title: r.title,
      person: r.responsible_person,
    }));
  }

  /**
   * Completes every open task whose planned time has come; `mixed`: each problem as its role has it
   * (task-plans.ts), and the units of the extension roles ask for one ten days before their deadline.
   */
  async actDue(mode: 'on-time' | 'mixed' = 'on-time'): Promise<ActResult> {
    const now = this.clock.now();
    if (mode === 'mixed') {
      await this.askExtensions(now);
      await this.fileObjections();
    }
    const due = (await this.openTasks()).filter((t) => {
      const when = plannedAt(t, this.roleOf(t.businessKey, mode));
      return when !== null && when <= now;
    });
    return this.completeAll(due, mode);
  }

  private roles: Map<string, Role> | null = null;
  private readonly done = new Set<string>();

  private roleOf(code: string | null, mode: 'on-time' | 'mixed'): Role {
    if (mode !== 'mixed' || !code) return 'on-time';
    return this.roles?.get(code.replace(/-R\d+$/, '')) ?? 'on-time';
  }

  private async askExtensions(now: number): Promise<void> {
    if (!this.roles) {
      const rows: { code: string; deadline: string }[] = await this.db.query(
        `SELECT code, deadline::text AS deadline FROM problem WHERE round = 1 ORDER BY code`,
      );
      this.roles = mixedRoles(rows, chinaDate(now));
    }
    const today = chinaDate(now);
    for (const [code, role] of this.roles) {
      if ((role !== 'extension-granted' && role !== 'extension-refused') || this.done.has(`extension:${code}`))
        continue;
      const [p] = await this.db.query(`SELECT deadline::text AS deadline, status FROM problem WHERE code = $1`, [code]);
      if (!p || !['rectifying', 'planning', 'assigned'].includes(p.status) || addDays(p.deadline, -10) > today)
        continue;
      this.done.add(`extension:${code}`);
      try {
        await this.moduleRef
          .get(ExtensionService, { strict: false })
          .request(code, { date: addDays(p.deadline, 45), reason: '设备采购招标流标，需重新招标' }, '模拟单位');
      } catch (e) {
        this.logger.warn(`extension for ${code}: ${(e as Error).message}`);
      }
    }
  }

  /** 公示异议: a member of the public objects once to the sign-off of each 'signoff-objected' problem on notice. */
  private async fileObjections(): Promise<void> {
    if (!this.roles) return;
    const onNotice: { code: string }[] = await this.db.query(
      `SELECT p.code FROM signoff_notice n JOIN problem p ON p.id = n.problem_id WHERE n.closed_at IS NULL ORDER BY p.code`,
    );
    for (const { code } of onNotice) {
      if (this.roleOf(code, 'mixed') !== 'signoff-objected' || this.done.has(`objection:${code}`)) continue;
      this.done.add(`objection:${code}`);
      try {
        await this.moduleRef
          .get(SignoffService, { strict: false })
          .object(
            code,
            { content: '公示的整改情况与实际不符，现场仍有问题未整改到位', name: '模拟群众' },
            'simulation',
          );
      } catch (e) {
        this.logger.warn(`objection to ${code}: ${(e as Error).message}`);
      }
    }
  }

  /**
   * The rectification of one problem up to 整改落实 (signed, plan made and approved), now; `past`: each step as
   * an act of the past (the demo's history), on its date and by its person, as the trail records it.
   */
  async walkToRectifying(code: string, past?: (t: OpenTask) => PastAct | undefined): Promise<ActResult> {
    const result: ActResult = { completed: 0, failed: [] };
    for (let round = 0; round < 5; round++) {
      const open = (await this.openTasks(code)).filter(
        (t) => t.definitionKey === 'rectification' && ['sign', 'plan', 'review'].includes(t.activityId),
      );
      if (!open.length) break;
      const r = await this.completeAll(open, 'on-time', past);
      result.completed += r.completed;
      result.failed.push(...r.failed);
      if (r.failed.length) break;
    }
    return result;
  }

  private async completeAll(
    tasks: OpenTask[],
    mode: 'on-time' | 'mixed' = 'on-time',
    pastOf?: (t: OpenTask) => PastAct | undefined,
  ): Promise<ActResult> {
    const result: ActResult = { completed: 0, failed: [] };
    for (const t of tasks) {
      try {
        const past = pastOf?.(t);
        if (past) await runInCallContext({ kind: 'history', past }, () => this.complete(t, mode, past.at.getTime()));
        else await this.complete(t, mode);
        result.completed++;
      } catch (e) {
        const status = (e as { status?: number }).status;
        if (status === 409 || status === 404) continue; // completed meanwhile, or gone with its process
        result.failed.push({ taskId: t.id, activityId: t.activityId, message: (e as Error).message });
        this.logger.warn(`task ${t.activityId} of ${t.businessKey ?? t.definitionKey}: ${(e as Error).message}`);
      }
    }
    return result;
  }

  /** One task completed as the simulation's units and office would (forms filled, evidence uploaded). */
  completeTask(t: OpenTask): Promise<void> {
    return this.complete(t);
  }

  /** `at`: when the task is done, for its form's dates (now unless it is an act of the past). */
  private async complete(t: OpenTask, mode: 'on-time' | 'mixed' = 'on-time', at = this.clock.now()): Promise<void> {
    if (t.formKey === 'monthly-report') {
      const form = await this.reports.form(t.id);
      const reports = form.problems
        .filter((p) => !['closed', 'rechecking', 'rebounded'].includes(p.status))
        .map((p) => ({ problem: p.code, text: progressText(p.status), percent: progressPercent(p.status) }));
      if (!reports.length) {
        await this.engine.completeTask(t.id, {});
        return;
      }
      await this.reports.submit(t.id, reports);
      return;
    }
    // The special roles act out of line once (a sign-off refused, a rebound found), then as usual.
    const once = `${t.businessKey}:${t.activityId}`;
    const first = !this.done.has(once);
    this.done.add(once);
    const data = formData(t, at, this.roleOf(t.businessKey, mode), first);
    if (t.definitionKey === 'signoff' && t.activityId === 'apply' && t.businessKey)
      data.evidenceFileIds = await this.uploadEvidence(t.businessKey, t.id);
    await this.engine.completeTask(t.id, data);
  }

  /** 佐证材料 for a sign-off application: a site photo and a monitoring report, as real files. */
  private async uploadEvidence(code: string, taskId: string): Promise<string[]> {
    const files = this.moduleRef.get(FilesService, { strict: false });
    const ids: string[] = [];
    for (const [category, name, buffer] of EVIDENCE) {
      const f = await files.upload(code, { buffer, originalname: name, size: buffer.length }, { taskId, category });
      ids.push(f.id);
    }
    return ids;
  }
}

/** A 1×1 PNG and a one-page PDF: the smallest files the evidence store accepts by their content. */
const EVIDENCE: [EvidenceCategory, string, Buffer][] = [
  [
    'photo',
    '整改后现场照片.png',
    Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    ),
  ],
  [
    'report',
    '监测报告.pdf',
    Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
  ],
];

function progressPercent(status: string): number {
  return { assigned: 5, planning: 15, rectifying: 60, applying: 95 }[status] ?? 50;
}

function progressText(status: string): string {
  return (
    {
      assigned: '已签收，正在研究制定整改方案',
      planning: '整改方案已报送，按节点倒排推进',
      rectifying: '按方案节点推进整改，本月完成阶段性任务',
      applying: '整改已完成，已申请验收销号',
    }[status] ?? '按计划推进'
  );
}
