import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { DomainException } from '../common/domain-exception.js';
import { EngineService, isUuid, type IncidentRaised } from '../engine/engine.service.js';
import { NotifyService } from '../notify/notify.service.js';
import { incidentReason } from './incident-reason.js';
import {
  IncidentsRepository,
  recordStartFailure,
  type IncidentFilter,
  type IncidentRow,
} from './incidents.repository.js';

/** Starts a process again for its business key (its own transaction); throws why it still cannot. */
export type Starter = (businessKey: string) => Promise<void>;

export interface IncidentView {
  id: string;
  open: boolean;
  kind: 'step' | 'start';
  problem: { id: string; code: string; title: string } | null;
  process: { key: string; name: string | null; instanceId: string | null };
  element: { id: string | null; name: string | null };
  /** Why, in Chinese. */
  reason: string;
  /** The technical message, for the administrator. */
  detail: string;
  createdAt: Date;
  resolvedAt: Date | null;
}

const notFound = (id: string) => new DomainException('NOT_FOUND', 404, `未找到异常 ${id}`);

/**
 * Incidents (a step that failed and stopped its process) shown to the office in Chinese: the problem they
 * concern, the element, the reason, a retry; a notification to the office as each is raised.
 */
@Injectable()
export class IncidentsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('incidents');
  private notify: NotifyService | null = null;
  private readonly starters = new Map<string, Starter>();
  private readonly onIncident = (e: IncidentRaised) =>
    void this.raised(e).catch((err) =>
      this.logger.warn(`incident ${e.id}: telling the office failed: ${(err as Error).message}`),
    );

  constructor(
    private readonly repo: IncidentsRepository,
    private readonly engine: EngineService,
    private readonly moduleRef: ModuleRef,
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The module that starts a process (by its key) registers how to start it again; a retry of its start failure calls it. */
  registerStarter(definitionKey: string, start: Starter): void {
    this.starters.set(definitionKey, start);
  }

  /**
   * A process that could not start, in the caller's transaction (what started it goes on): kept so the office
   * sees it among the incidents, and the office is told.
   */
  async startFailed(definitionKey: string, businessKey: string, message: string, m: EntityManager): Promise<void> {
    const id = await recordStartFailure(m, {
      id: randomUUID(),
      key: definitionKey,
      businessKey,
      message,
      at: this.clock.date(),
    });
    const [row] = (await m.query(`SELECT name FROM engine_definition WHERE key = $1 ORDER BY version DESC LIMIT 1`, [
      definitionKey,
    ])) as { name: string | null }[];
    const [p] = (await m.query(`SELECT code, title FROM problem WHERE code = $1`, [businessKey])) as {
      code: string;
      title: string;
    }[];
    const process = row?.name ?? definitionKey;
    const what = p ? `问题 ${p.code}「${p.title}」的` : '';
    await this.notify?.enqueue(
      {
        key: `start-failure:${id}`,
        kind: 'notice',
        unitCodes: [],
        personIds: [],
        roles: ['office', 'admin'],
        title: `督办流程未能启动：${p?.code ?? businessKey}`,
        text: `${what}「${process}」未能启动，督办不会自动进行：${incidentReason(message)}处理后可在“流程异常”中重试。`,
        link: p ? `/problems/${encodeURIComponent(p.code)}` : '/incidents',
      },
      m,
    );
  }

  onModuleInit(): void {
    try {
      this.notify = this.moduleRef.get(NotifyService, { strict: false });
    } catch {
      this.notify = null;
    }
    this.engine.events.on('incident', this.onIncident);
  }

  onModuleDestroy(): void {
    this.engine.events.off('incident', this.onIncident);
  }

  async list(f: IncidentFilter, page: number, pageSize: number) {
    const { rows, total } = await this.repo.page(f, (page - 1) * pageSize, pageSize);
    return { items: rows.map(view), total, page, pageSize };
  }

  /** The open incidents of a problem's processes: its escalation is stopped while there is one. */
  async ofProblem(code: string): Promise<IncidentView[]> {
    return (await this.repo.page({ open: true, problemCode: code }, 0, 20)).rows.map(view);
  }

  async get(id: string): Promise<IncidentView> {
    if (!isUuid(id)) throw notFound(id);
    const row = await this.repo.get(id);
    if (!row) throw notFound(id);
    return view(row);
  }

  /** Runs the failed step again; answers the incident as it stands after (resolved, or open with the new reason). */
  async retry(id: string): Promise<IncidentView> {
    const before = await this.get(id);
    if (!before.open) throw new DomainException('CONFLICT', 409, `异常 ${id} 已处理，无需重试`);
    if (before.kind === 'start') return this.retryStart(before);
    try {
      await this.engine.retryIncident(id);
    } catch (err) {
      if (err instanceof DomainException && err.code === 'INCIDENT') {
        const after = await this.get(id);
        throw new DomainException('RETRY_FAILED', 422, `重试未成功：${after.reason}`, { incident: after });
      }
      throw err;
    }
    return this.get(id);
  }

  private async retryStart(before: IncidentView): Promise<IncidentView> {
    const start = this.starters.get(before.process.key);
    if (!start)
      throw new DomainException(
        'RETRY_FAILED',
        422,
        `重试未成功：流程「${before.process.name ?? before.process.key}」当前无法由系统启动，请系统管理员处理。`,
        { incident: before },
      );
    const [row] = (await this.db.query(`SELECT business_key FROM process_start_failure WHERE id = $1`, [
      before.id,
    ])) as { business_key: string }[];
    try {
      await start(row.business_key);
    } catch (err) {
      await this.db.query(`UPDATE process_start_failure SET message = $2 WHERE id = $1`, [
        before.id,
        (err as Error).message,
      ]);
      const after = await this.get(before.id);
      throw new DomainException('RETRY_FAILED', 422, `重试未成功：${after.reason}`, { incident: after });
    }
    await this.db.query(`UPDATE process_start_failure SET resolved_at = $2 WHERE id = $1 AND resolved_at IS NULL`, [
      before.id,
      this.clock.date(),
    ]);
    return this.get(before.id);
  }

  private async raised(e: IncidentRaised): Promise<void> {
    if (!this.notify) return;
    const row = await this.repo.get(e.id);
    if (!row) return;
    const v = view(row);
    const what = v.problem
      ? `问题 ${v.problem.code}「${v.problem.title}」`
      : `流程「${v.process.name ?? v.process.key}」`;
    await this.notify.enqueue({
      key: `incident:${e.id}`,
      kind: 'notice',
      unitCodes: [],
      personIds: [],
      roles: ['office', 'admin'],
      title: `督办流程停止：${v.problem?.code ?? v.process.name ?? v.process.key}`,
      text: `${what}在「${v.element.name ?? v.element.id ?? '未知环节'}」执行失败，督办已停止：${v.reason}处理后可在“流程异常”中重试。`,
      link: v.problem ? `/problems/${encodeURIComponent(v.problem.code)}` : '/incidents',
    });
  }
}

function view(r: IncidentRow): IncidentView {
  return {
    id: r.id,
    open: r.resolved_at === null,
    kind: r.kind,
    problem: r.problem_id ? { id: r.problem_id, code: r.problem_code!, title: r.problem_title! } : null,
    process: { key: r.definition_key, name: r.process_name, instanceId: r.instance_id },
    element: { id: r.element_id, name: r.element_name },
    reason: r.kind === 'start' ? `流程未能启动：${incidentReason(r.message)}` : incidentReason(r.message),
    detail: r.message,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
  };
}
