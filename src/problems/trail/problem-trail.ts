import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntryView } from '../../audit/audit.service.js';

/** Who an account is, as the trail names them. */
interface ActorRow {
  id: string;
  username: string;
  role: string;
  person_name: string | null;
  unit_code: string | null;
  unit_name: string | null;
}

interface FileRow {
  id: string;
  task_id: string | null;
  name: string;
}

/** What each kind of entry is called on the problem page. */
const ACTION_LABELS: Record<string, string> = {
  'problem.imported': '交办（导入）',
  'problem.created': '交办',
  'problem.updated': '修改问题',
  'problem.signed_off': '验收销号',
  'problem.signoff_refused': '验收退回',
  'problem.signoff_verified': '验收通过，进入公示',
  'problem.split': '拆分下达',
  'problem.filed': '下级销号备案',
  'problem.rechecked': '回头看',
  'task.created': '进入环节',
  'task.ended': '完成环节',
  'instance.ended': '流程结束',
  'api.call': '操作',
};

const ROLE_LABELS: Record<string, string> = {
  office: '督办办公室',
  admin: '系统管理员',
  leader: '领导',
  inspector: '督察组',
  unit: '责任单位',
};
const ENGINE_ACTORS: Record<string, string> = { system: '系统', timer: '系统（到期自动）', anonymous: '未登录' };

/** Form fields the trail does not show as content (who completed it is the entry's actor). */
const HIDDEN = new Set(['completedBy']);

export interface TrailEntry extends AuditEntryView {
  /**
   * When it happened: the chain's `at`, or for the demo's history (loaded later, each step on its own date) the
   * date the entry says it happened; `recordedAt` is always the chain's.
   */
  at: string;
  recordedAt: string;
  /** 交办, 完成环节 …: the entry's kind in Chinese. */
  label: string;
  /** The step's name (制定整改方案 …) for task entries. */
  stepName: string | null;
  /** The person who acted (else the account's role or 系统), their unit and its name. */
  actorPerson: string;
  actorUnit: string | null;
  actorUnitName: string | null;
  /** What was submitted with the step: plan, milestones, opinion, progress …; null when nothing was. */
  submitted: Record<string, unknown> | null;
  /** Evidence files of the step: uploaded with its task, or named in its form. */
  files: { id: string; name: string }[];
}

/**
 * The trail as the problem page tells it (痕迹化管理): each entry with the step's name, what was submitted,
 * its files, and the person and unit who acted rather than account names. Entries stay as chained.
 */
@Injectable()
export class ProblemTrail {
  constructor(private readonly db: DataSource) {}

  async tell(problemId: string, entries: AuditEntryView[]): Promise<TrailEntry[]> {
    const accountIds = [...new Set(entries.map((e) => e.actor).filter((a) => /^[0-9a-f-]{36}$/i.test(a)))];
    const actedUnits = [...new Set(entries.map((e) => actedBy(e)?.unitCode).filter((u): u is string => !!u))];
    const [actors, files, unitNames] = await Promise.all([
      this.actors(accountIds),
      this.files(problemId),
      this.unitNames(actedUnits),
    ]);
    const stepNames = new Map<string, string>();
    for (const e of entries) {
      const d = details(e);
      if (e.action === 'task.created' && typeof d.name === 'string' && e.entityId) stepNames.set(e.entityId, d.name);
    }
    const fileById = new Map(files.map((f) => [f.id, f]));
    return entries.map((e) => {
      const d = details(e);
      const a = actors.get(e.actor);
      const submitted =
        e.action === 'task.ended' && d.submitted && typeof d.submitted === 'object'
          ? visible(d.submitted as Record<string, unknown>)
          : null;
      const named = Array.isArray(submitted?.evidenceFileIds)
        ? (submitted!.evidenceFileIds as unknown[]).map(String)
        : [];
      const ofTask = e.action === 'task.ended' && e.entityId ? files.filter((f) => f.task_id === e.entityId) : [];
      const stepFiles = [...ofTask, ...named.map((id) => fileById.get(id)).filter((f): f is FileRow => Boolean(f))];
      const by = actedBy(e);
      return {
        ...e,
        at: typeof d.occurredAt === 'string' && !Number.isNaN(Date.parse(d.occurredAt)) ? d.occurredAt : e.at,
        recordedAt: e.at,
        label: ACTION_LABELS[e.action] ?? e.action,
        stepName: e.entityType === 'task' && e.entityId ? (stepNames.get(e.entityId) ?? null) : null,
        actorPerson: by
          ? by.person
          : a
            ? (a.person_name ?? ROLE_LABELS[a.role] ?? a.username)
            : (ENGINE_ACTORS[e.actor] ?? e.actorName ?? e.actor),
        actorUnit: by ? by.unitCode : (a?.unit_code ?? null),
        actorUnitName: by
          ? by.unitCode
            ? (unitNames.get(by.unitCode) ?? by.unitCode)
            : null
          : a
            ? (a.unit_name ?? (a.unit_code ? a.unit_code : (ROLE_LABELS[a.role] ?? null)))
            : null,
        submitted: submitted && Object.keys(submitted).length ? submitted : null,
        files: [...new Map(stepFiles.map((f) => [f.id, { id: f.id, name: f.name }])).values()],
      };
    });
  }

  private async actors(ids: string[]): Promise<Map<string, ActorRow>> {
    if (!ids.length) return new Map();
    const rows: ActorRow[] = await this.db.query(
      `SELECT a.id, a.username, a.role, p.name AS person_name, a.unit_code, u.name AS unit_name
         FROM account a LEFT JOIN org_person p ON p.id = a.person_id LEFT JOIN org_unit u ON u.code = a.unit_code
        WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  private async unitNames(codes: string[]): Promise<Map<string, string>> {
    if (!codes.length) return new Map();
    const rows: { code: string; name: string }[] = await this.db.query(
      `SELECT code, name FROM org_unit WHERE code = ANY($1::text[])`,
      [codes],
    );
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  /** The problem's evidence; none where the files module's table is not there. */
  private async files(problemId: string): Promise<FileRow[]> {
    return this.db
      .query(`SELECT id, task_id, name FROM evidence_file WHERE problem_id = $1 ORDER BY created_at LIMIT 1000`, [
        problemId,
      ])
      .catch(() => []) as Promise<FileRow[]>;
  }
}

function details(e: AuditEntryView): Record<string, unknown> {
  return e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : {};
}

/** The person and unit the demo's history names as having acted (details.actedBy), or null. */
function actedBy(e: AuditEntryView): { person: string; unitCode: string | null } | null {
  const b = details(e).actedBy as { person?: unknown; unitCode?: unknown } | undefined;
  if (!b || typeof b !== 'object' || typeof b.person !== 'string' || !b.person) return null;
  return { person: b.person, unitCode: typeof b.unitCode === 'string' ? b.unitCode : null };
}

function visible(submitted: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(submitted).filter(([k]) => !HIDDEN.has(k)));
}
