import { ApiProperty } from '@nestjs/swagger';
import { AuditEntryDoc } from '../../audit/dto/audit-entry.view.js';
import { ValidationErrorResponse } from '../../common/error-response.doc.js';
import { LIGHTS, PROBLEM_STATUSES, TIERS } from '../problem-status.js';
import { ProblemChildDoc, ProblemFilingDoc, ProblemParentDoc, ProblemRollupDoc } from './levels.doc.js';

/** One problem of the ledger (台账), as the list and the import answer it. */
export class ProblemDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'HB-2026-001', description: 'the business key the office writes on paper' }) code: string;
  @ApiProperty({ nullable: true, type: String, description: 'the inspection the problem comes from (来源)' }) source:
    string | null;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: '水环境' }) category: string;
  @ApiProperty({ example: 'HBJ', description: 'lead unit (牵头单位) code' }) leadUnit: string;
  @ApiProperty({ type: [String], description: 'sharing units (责任单位) codes' }) responsibleUnits: string[];
  @ApiProperty({ nullable: true, type: String }) responsiblePerson: string | null;
  @ApiProperty({ example: '2026-06-30', description: 'rectification deadline (YYYY-MM-DD)' }) deadline: string;
  @ApiProperty({ enum: TIERS, description: 'short ≤ 3 months, medium ≤ 1 year, long beyond' }) tier: string;
  @ApiProperty({ example: '中期' }) tierLabel: string;
  @ApiProperty({ nullable: true, type: String, description: 'rectification goal' }) goal: string | null;
  @ApiProperty({ description: 'months after sign-off until the 回头看 recheck' }) recheckMonths: number;
  @ApiProperty({ enum: PROBLEM_STATUSES }) status: string;
  @ApiProperty({ example: '整改中' }) statusLabel: string;
  @ApiProperty({
    enum: LIGHTS,
    description: 'warning light (预警): green on track, raised to blue, yellow, red as supervision escalates',
  })
  light: string;
  @ApiProperty({ example: '红灯' }) lightLabel: string;
  @ApiProperty({ description: 'calendar days past the deadline (0 when not overdue)' }) overdueDays: number;
  @ApiProperty({ description: 'the same days counted as working days by the calendar: lateness is measured in these' })
  overdueWorkdays: number;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '逾期 12 个工作日（16 天）',
    description: 'both, as the office reads them; null when not overdue',
  })
  overdueText: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) processInstanceId: string | null;
  @ApiProperty({ description: '1, or later rounds after a rebound' }) round: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) previousProblemId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the problem it was split from' })
  parentProblemId: string | null;
  @ApiProperty({ nullable: true, type: ProblemRollupDoc, description: 'the roll-up of the problems split from it' })
  rollup: ProblemRollupDoc | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) signedOffAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) closedAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) recheckedAt: Date | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'date-time',
    description: '见效: when a 回头看 first found the rectification holding and showing its effect',
  })
  effectiveAt: Date | null;
}

export class ProblemPageDoc {
  @ApiProperty({ type: [ProblemDoc] }) items: ProblemDoc[];
  @ApiProperty({ description: 'problems matching the filter, all pages' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ProblemOpenTaskDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'sign' }) activityId: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'username of whoever signed for it' }) assignee:
    string | null;
  @ApiProperty({ type: [String] }) candidateGroups: string[];
  @ApiProperty({ nullable: true, type: String }) formKey: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) dueAt: Date | null;
  @ApiProperty({
    description:
      'the due time lies in (or was counted through) a year without the announced holiday arrangement: provisional until the office enters it',
  })
  dueProvisional: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class ProblemMilestoneDoc {
  @ApiProperty() id: string;
  @ApiProperty() seq: number;
  @ApiProperty() title: string;
  @ApiProperty({ example: '2026-04-30' }) dueDate: string;
  @ApiProperty({ nullable: true, type: String }) doneDate: string | null;
}

export class ProblemProgressEntryDoc {
  @ApiProperty() id: string;
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty({ example: 'HBJ' }) unitCode: string;
  @ApiProperty() text: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) percent: number;
  @ApiProperty({ type: String, format: 'date-time' }) reportedAt: Date;
}

export class ProblemProcessInstanceDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() definitionId: string;
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: Date;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) endedAt: Date | null;
}

export class ProblemIncidentDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '督办升级', description: 'the process that stopped' }) process: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '督办研判',
    description: 'the element that failed (its name in the diagram)',
  })
  element: string | null;
  @ApiProperty({ description: 'why, in Chinese' }) reason: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class ProblemEscalationDoc {
  @ApiProperty({
    description: 'a failed step stopped one of its processes: nothing escalates until the office retries it',
  })
  stopped: boolean;
  @ApiProperty({ type: [ProblemIncidentDoc] }) incidents: ProblemIncidentDoc[];
}

/** One problem with what happens around it. */
export class TrailFileDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '整改照片.jpg' }) name: string;
}

export class TrailEntryDoc extends AuditEntryDoc {
  @ApiProperty({ example: '完成环节', description: 'the kind of entry in Chinese' }) label: string;
  @ApiProperty({ nullable: true, type: String, example: '制定整改方案' }) stepName: string | null;
  @ApiProperty({ example: '李明', description: 'the person who acted; else the role (督办办公室) or 系统' })
  actorPerson: string;
  @ApiProperty({ nullable: true, type: String, example: 'HBJ' }) actorUnit: string | null;
  @ApiProperty({ nullable: true, type: String, example: '市环保局' }) actorUnitName: string | null;
  @ApiProperty({
    nullable: true,
    type: Object,
    description: 'what was submitted with the step (plan summary, milestones, opinion, progress …)',
    example: { summary: '倒排工期', milestones: [{ title: '完成改造', dueDate: '2026-06-30' }] },
  })
  submitted: Record<string, unknown> | null;
  @ApiProperty({ type: [TrailFileDoc], description: 'evidence of the step' }) files: TrailFileDoc[];
}

export class ProblemPartMilestoneDoc {
  @ApiProperty() title: string;
  @ApiProperty({ example: '2017-10-15' }) dueDate: string;
}

export class ProblemPartDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'SWJ', description: 'the co-unit (配合单位)' }) unit: string;
  @ApiProperty({ description: '分工措施' }) measures: string;
  @ApiProperty({ example: '2017-09-29', description: "the part's own deadline, no later than the lead's" })
  deadline: string;
  @ApiProperty({ type: [ProblemPartMilestoneDoc] }) milestones: ProblemPartMilestoneDoc[];
  @ApiProperty({ enum: ['planned', 'open', 'done'] }) status: string;
  @ApiProperty({ nullable: true, type: String, description: "the co-unit's report when done" }) report: string | null;
  @ApiProperty({ nullable: true, type: Date }) startedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) doneAt: Date | null;
}

export class ProblemDetailDoc extends ProblemDoc {
  @ApiProperty({
    description:
      'the deadline lies in a year without the announced holiday arrangement: its working-day rungs are provisional',
  })
  deadlineProvisional: boolean;
  @ApiProperty({ type: ProblemEscalationDoc, description: 'whether its escalation is stopped by an incident' })
  escalation: ProblemEscalationDoc;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'the next round, when the problem rebounded',
  })
  nextRoundId: string | null;
  @ApiProperty({ nullable: true, type: ProblemParentDoc, description: 'the problem it was split from' })
  parent: ProblemParentDoc | null;
  @ApiProperty({ type: [ProblemChildDoc], description: '拆分下达: the problems split from it' })
  children: ProblemChildDoc[];
  @ApiProperty({ type: [ProblemFilingDoc], description: "备案: its children's sign-offs, filed up" })
  filings: ProblemFilingDoc[];
  @ApiProperty({ type: [ProblemPartDoc], description: "co-units' parts (配合单位分工) from the plan" })
  parts: ProblemPartDoc[];
  @ApiProperty({ type: [ProblemOpenTaskDoc], description: 'open tasks of its processes' }) tasks: ProblemOpenTaskDoc[];
  @ApiProperty({ type: [ProblemMilestoneDoc], description: 'the rectification plan' })
  milestones: ProblemMilestoneDoc[];
  @ApiProperty({ type: [ProblemProgressEntryDoc], description: 'monthly progress reports' })
  progress: ProblemProgressEntryDoc[];
  @ApiProperty({ type: ProblemProcessInstanceDoc, nullable: true }) processInstance: ProblemProcessInstanceDoc | null;
  @ApiProperty({
    type: [TrailEntryDoc],
    description: 'the trail (痕迹化管理), oldest first, told: step, what was submitted, person and unit',
  })
  timeline: TrailEntryDoc[];
}

export class ImportCellErrorDoc {
  @ApiProperty({ description: 'spreadsheet row number' }) row: number;
  @ApiProperty({ example: '牵头单位', description: 'column header' }) column: string;
  @ApiProperty() message: string;
}

export class ProblemImportResultDoc {
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty({
    type: [ProblemDoc],
    description: 'the problems assigned, each with its rectification process started',
  })
  created: ProblemDoc[];
  @ApiProperty({
    type: [ImportCellErrorDoc],
    description: 'rows accepted with a warning (a deadline already passed: overdue on arrival)',
  })
  warnings: ImportCellErrorDoc[];
}

/** 422 of an import: every bad cell (IMPORT_INVALID), or a missing file or bad form field (VALIDATION, in `fields`). */
export class ImportRefusedDoc extends ValidationErrorResponse {
  @ApiProperty({
    type: [ImportCellErrorDoc],
    required: false,
    description: 'every bad cell (IMPORT_INVALID); empty when the file is no readable .xlsx workbook',
  })
  errors?: ImportCellErrorDoc[];
}

export class ImportJobAcceptedDoc {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ description: 'rows of the file, every one checked and accepted' }) rows: number;
  @ApiProperty({ example: '/api/problems/import/jobs/7d7c…', description: 'where the job reports its progress' })
  statusUrl: string;
  @ApiProperty({
    type: [ImportCellErrorDoc],
    description: 'accepted cells worth a look, e.g. a deadline already passed (the problem is overdue on arrival)',
  })
  warnings: ImportCellErrorDoc[];
}

export class ImportJobProblemDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'uuid', nullable: true }) processInstanceId: string | null;
}

export class ImportJobDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: ['queued', 'running', 'done', 'failed', 'rolled_back'],
    description:
      'done: every row in the ledger with its process; failed or rolled_back: none of the file is (message and errors say why)',
  })
  status: string;
  @ApiProperty() rows: number;
  @ApiProperty({
    description: 'rows stored so far in the running attempt; they reach the ledger all together when the job is done',
  })
  done: number;
  @ApiProperty({ type: [ImportCellErrorDoc], description: 'the row that stopped a failed job' })
  errors: ImportCellErrorDoc[];
  @ApiProperty({ nullable: true, description: 'why the job failed or was rolled back, in Chinese' }) message:
    string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true }) startedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: [ImportJobProblemDoc], required: false, description: 'when done: the problems assigned' })
  problems?: ImportJobProblemDoc[];
}
