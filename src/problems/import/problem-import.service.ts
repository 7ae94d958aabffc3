import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalendarService } from '../../calendar/calendar.service.js';
import { Clock } from '../../clock/clock.js';
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
import { checkRow, type ProblemDraft } from './row-rules.js';
import { readProblemSheet } from './xlsx-sheet-reader.js';

/** Bad cells listed in one refusal; past that the answer would grow with whatever the file holds. */
const MAX_LISTED = 1000;

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

  async import(file: Buffer, opts: { source?: string } = {}): Promise<{ importId: string; created: ProblemView[]; warnings: CellError[] }> {
    const drafts = await this.check(file, opts.source ?? null);
    const def = await this.definitions.latest(RECTIFICATION).catch(() => {
      throw new DomainException('NOT_DEPLOYED', 409, `整改流程（${RECTIFICATION}）尚未部署，未导入任何问题`);
    });
    const importId = randomUUID();
    const after = newAfterCommit();
    await this.store(drafts, def, importId, after);
    await this.steps.deliver(after);
    const now = this.clock.now();
    const created = await this.problems.findByImport(importId);
    this.logger.log(`import ${importId}: ${created.length} problems assigned`);
    return { importId, created: created.map((p) => problemView(p, now)), warnings: drafts.flatMap((d) => d.warnings) };
  }

  /** Every row checked against the units, the calendar and the ledger; any bad cell refuses the file. */
  async check(file: Buffer, source: string | null): Promise<ProblemDraft[]> {
    const sheet = await readProblemSheet(file);
    if ('refused' in sheet) throw refused(sheet.refused, sheet.errors);
    const codes = sheet.rows.map((r) => (r.cells.code?.kind === 'text' ? r.cells.code.text : r.cells.code?.kind === 'number' ? String(r.cells.code.value) : '')).filter(Boolean);
    const ctx = {
      units: await this.org.directory(),
      today: chinaDate(this.clock.now()),
      addWorkdays: (from: string, n: number) => this.calendar.addWorkdays(from, n),
      stored: await this.problems.storedCodes(codes),
      seen: new Map<string, number>(),
      defaultSource: source?.trim() || null,
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

  private async store(drafts: ProblemDraft[], def: DefinitionRow, importId: string, after: StepAfterCommit): Promise<void> {
    const today = chinaDate(this.clock.now());
    let current: ProblemDraft | null = null;
    try {
      await this.db.transaction(async (m) => {
        for (const d of drafts) {
          current = d;
          const id = randomUUID();
          await this.problems.insert(
            {
              id, code: d.code, source: d.source, title: d.title, description: d.description, category: d.category, leadUnit: d.leadUnit,
              responsibleUnits: d.responsibleUnits, person: d.person, deadline: d.deadline, tier: d.tier, goal: d.goal,
              recheckMonths: d.recheckMonths, round: 1, previousProblemId: null, importId,
            },
            this.clock.date(),
            m,
          );
          const vars = startVariables({ ...d, problemId: id, problemCode: d.code, round: 1 }, today);
          const inst = await this.steps.start(def, d.code, vars, undefined, { m, after });
          await this.problems.bindInstance(id, inst.id, m);
        }
      });
    } catch (err) {
      const at = current as ProblemDraft | null;
      if ((err as { code?: string }).code === '23505') {
        throw new DomainException('CONFLICT', 409, `问题 ${at?.code ?? ''} 在此期间已被他人导入，本次未导入任何问题`, {
          errors: at ? [{ row: at.row, column: '编号', message: '在此期间已被另一次导入保存' }] : [],
        });
      }
      if (err instanceof DomainException) throw err;
      this.logger.error(`import ${importId} failed at row ${at?.row}: ${(err as Error).message}`);
      throw new DomainException('IMPORT_FAILED', 500, `问题 ${at?.code ?? '?'} 的流程无法启动：${(err as Error).message}；未导入任何问题`, {
        errors: at ? [{ row: at.row, column: '', message: `流程启动失败：${(err as Error).message}` }] : [],
      });
    }
  }

}
