import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CalendarService } from '../../calendar/calendar.service.js';
import { Clock } from '../../clock/clock.js';
import { databaseUnavailableCause } from '../../common/database-unavailable.js';
import { DomainException } from '../../common/domain-exception.js';
import { DefinitionService, type DefinitionRow } from '../../engine/definition.service.js';
import { StepService } from '../../engine/step.service.js';
import { OrgService } from '../../org/org.service.js';
import { problemView, type ProblemView } from '../problem-view.js';
import { ProblemsRepository } from '../problems.repository.js';
import { RECTIFICATION, startVariables } from '../rectification/rectification-variables.js';
import { newAfterCommit, type StepAfterCommit } from '../rectification/step-after-commit.js';
import { chinaDate } from '../rules/china-date.js';
import type { CellError } from './import-columns.js';
import { OPEN_STATUSES } from '../problem-status.js';
import { checkRow, type ParentProblem, type ProblemDraft } from './row-rules.js';
import { BIND, startProcesses } from './start-processes.js';
import { readProblemSheet } from './xlsx-sheet-reader.js';

/** Bad cells listed in one refusal; past that the answer would grow with whatever the file holds. */
const MAX_LISTED = 1000;
/** Problems written per statement (and their processes bound per statement). */
const BATCH = BIND;
/** The problems of the level above one file may assign parts of (上级问题编号), each looked up once. */
const MAX_PARENTS = 500;

/** A file refused as a whole: every bad cell (up to MAX_LISTED), so the office fixes the sheet once. */
function refused(message: string, errors: CellError[]): DomainException {
  const more = errors.length > MAX_LISTED ? `；仅列出前 ${MAX_LISTED} 项` : '';
  return new DomainException('IMPORT_INVALID', 422, `${message}${more}`, { errors: errors.slice(0, MAX_LISTED) });
}

/**
 * 交办 from a spreadsheet: all or nothing. Every row is checked first; then the problems are inserted and
 * their rectification processes started in one transaction, so a failure anywhere leaves nothing behind.
 */
@Injectable()
export class ProblemImportService {
  private readonly logger = new Logger('import');

  constructor(
    private readonly db: DataSource,
    private readonly problems: ProblemsRepository,
    private readonly org: OrgService,
    private readonly definitions: DefinitionService,
    private readonly steps: StepService,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
  ) {}

  /** The file imported before this returns (the command line and the simulation; the API runs it as a job). */
  async import(
    file: Buffer,
    opts: { source?: string } = {},
  ): Promise<{ importId: string; created: ProblemView[]; warnings: CellError[] }> {
    const drafts = await this.check(file, opts.source ?? null);
    const def = await this.deployed();
    const importId = randomUUID();
    const after = newAfterCommit();
    await this.db.transaction((m) => this.store(m, drafts, def, importId, after));
    await this.steps.deliver(after);
    const now = this.clock.now();
    const created = await this.problems.findByImport(importId);
    this.logger.log(`import ${importId}: ${created.length} problems assigned`);
    return {
      importId,
      created: created.map((p) => problemView(p, now, (d) => this.calendar.current.isWorkday(d))),
      warnings: drafts.flatMap((d) => d.warnings),
    };
  }

  /** The rectification process every imported problem starts; refused up front when it is not deployed. */
  async deployed(): Promise<DefinitionRow> {
    return this.definitions.latest(RECTIFICATION).catch(() => {
      throw new DomainException('NOT_DEPLOYED', 409, `整改流程（${RECTIFICATION}）尚未部署，未导入任何问题`);
    });
  }

  /**
   * Every row checked against the units, the calendar and the ledger; any bad cell refuses the file. `within`:
   * the unit of an office of a lower level, which assigns to its own subtree only.
   */
  async check(file: Buffer, source: string | null, within: string | null = null): Promise<ProblemDraft[]> {
    const sheet = await readProblemSheet(file);
    if ('refused' in sheet) throw refused(sheet.refused, sheet.errors);
    const codes = sheet.rows
      .map((r) =>
        r.cells.code?.kind === 'text'
          ? r.cells.code.text
          : r.cells.code?.kind === 'number'
            ? String(r.cells.code.value)
            : '',
      )
      .filter(Boolean);
    const ctx = {
      units: await this.org.directory(),
      today: chinaDate(this.clock.now()),
      addWorkdays: (from: string, n: number) => this.calendar.addWorkdays(from, n),
      stored: await this.problems.storedCodes(codes),
      seen: new Map<string, number>(),
      defaultSource: source?.trim() || null,
      leaders: leaderIndex(await this.problems.allLeaders()),
      scope: within ? new Set(await this.org.subtreeCodes(within)) : undefined,
      parents: await this.parentsOf(sheet.rows),
    };
    const drafts: ProblemDraft[] = [];
    const errors: CellError[] = [...sheet.errors];
    for (const row of sheet.rows) {
      const res = checkRow(row, ctx);
      if ('errors' in res) errors.push(...res.errors);
      else drafts.push(res.draft);
    }
    if (errors.length) {
      const rows = new Set(errors.map((e) => e.row)).size;
      throw refused(`${rows} 行中有 ${errors.length} 个单元格有误，未导入任何问题`, errors);
    }
    return drafts;
  }

  /** 分级交办: the problems the rows name as 上级问题编号 (at most MAX_PARENTS of them), with the units below each. */
  private async parentsOf(rows: { row: number; cells: Record<string, { kind: string } | undefined> }[]) {
    const refs = new Set<string>();
    for (const r of rows) {
      const c = r.cells.parent as { kind: string; text?: string; value?: number } | undefined;
      const ref = c?.kind === 'text' ? c.text?.trim() : c?.kind === 'number' ? String(c.value) : '';
      if (ref) refs.add(ref);
    }
    const parents = new Map<string, ParentProblem>();
    if (!refs.size) return parents;
    if (refs.size > MAX_PARENTS)
      throw refused(`一个文件最多向 ${MAX_PARENTS} 个上级问题分级交办（本文件 ${refs.size} 个），未导入任何问题`, []);
    const below = new Map<string, Set<string>>();
    for (const code of refs) {
      const p = await this.problems.findByCode(code);
      if (!p) continue;
      if (!below.has(p.lead_unit))
        below.set(p.lead_unit, new Set((await this.org.subtreeCodes(p.lead_unit)).filter((u) => u !== p.lead_unit)));
      parents.set(code, {
        id: p.id,
        leadUnit: p.lead_unit,
        deadline: p.deadline,
        open: OPEN_STATUSES.includes(p.status),
        below: below.get(p.lead_unit)!,
      });
    }
    return parents;
  }

  /**
   * The problems and their processes in the caller's transaction `m`, a batch at a time: the batch's rows in one
   * statement, then its processes (startProcesses). `progress` hears the processes started; a failure names its row.
   */
  async store(
    m: EntityManager,
    drafts: ProblemDraft[],
    def: DefinitionRow,
    importId: string,
    after: StepAfterCommit,
    progress: (done: number) => void = () => {},
    stored: (code: string, id: string) => void = () => {},
  ): Promise<void> {
    const today = chinaDate(this.clock.now());
    const at = this.clock.date();
    let current: ProblemDraft | null = null;
    let started = 0;
    try {
      for (let from = 0; from < drafts.length; from += BATCH) {
        const batch = drafts.slice(from, from + BATCH).map((d) => ({ d, id: randomUUID() }));
        for (const b of batch) stored(b.d.code, b.id);
        await this.problems
          .insertMany(
            batch.map(({ d, id }) => ({
              id,
              code: d.code,
              source: d.source,
              title: d.title,
              description: d.description,
              category: d.category,
              leadUnit: d.leadUnit,
              responsibleUnits: d.responsibleUnits,
              person: d.person,
              deadline: d.deadline,
              tier: d.tier,
              goal: d.goal,
              recheckMonths: d.recheckMonths,
              round: 1,
              previousProblemId: null,
              importId,
            })),
            at,
            m,
          )
          .catch((err) => {
            current = conflicting(
              err,
              batch.map((b) => b.d),
            );
            throw err;
          });
        await startProcesses(this.steps, def, batch, {
          m,
          after,
          businessKey: (b) => b.d.code,
          variables: ({ d, id }) => startVariables({ ...d, problemId: id, problemCode: d.code, round: 1 }, today),
          bind: (bound, q) => this.problems.bindInstances(bound, q),
          starting: (b) => (current = b?.d ?? null),
          started: () => progress(++started),
        });
        for (const { d, id } of batch) {
          if (d.responsibleLeader)
            await this.problems.setResponsibility(id, { leader: d.responsibleLeader, sourceLevel: null }, m);
          // 分级交办: its sign-off rolls up to the problem of the level above and is filed there (备案).
          if (d.parentId) await this.problems.setParent(id, d.parentId, m);
        }
      }
    } catch (err) {
      throw importFailure(err, current, importId, this.logger);
    }
  }
}

/** Leader accounts by username, and by person name when one leader alone has it (else null). */
function leaderIndex(leaders: { username: string; name: string }[]): Map<string, string | null> {
  const index = new Map<string, string | null>();
  for (const l of leaders) if (l.name !== l.username) index.set(l.name, index.has(l.name) ? null : l.username);
  for (const l of leaders) index.set(l.username, l.username);
  return index;
}

/** The row whose code a multi-row insert found taken (PostgreSQL names the key), if it is one of `drafts`. */
function conflicting(err: unknown, drafts: ProblemDraft[]): ProblemDraft | null {
  if ((err as { code?: string }).code !== '23505') return null;
  const code = /\(code\)=\((.*)\)/.exec((err as { detail?: string }).detail ?? '')?.[1];
  return drafts.find((d) => d.code === code) ?? null;
}

/** Any failure of a file's import as the refusal the office reads: which row, and that nothing was imported. */
function importFailure(err: unknown, at: ProblemDraft | null, importId: string, logger: Logger): Error {
  if ((err as { code?: string }).code === '23505') {
    return new DomainException('CONFLICT', 409, `问题 ${at?.code ?? ''} 已由另一次导入写入台账，本文件未导入任何问题`, {
      errors: at ? [{ row: at.row, column: '编号', message: '在此期间已被另一次导入保存' }] : [],
    });
  }
  if (err instanceof DomainException) return err;
  if (databaseUnavailableCause(err)) return err as Error;
  logger.error(`import ${importId} failed at row ${at?.row}: ${(err as Error).message}`);
  return new DomainException(
    'IMPORT_FAILED',
    500,
    `问题 ${at?.code ?? '?'} 的整改流程无法启动：${(err as Error).message}；本文件未导入任何问题`,
    {
      errors: at ? [{ row: at.row, column: '', message: `流程启动失败：${(err as Error).message}` }] : [],
    },
  );
}
