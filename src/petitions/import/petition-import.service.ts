import { randomUUID } from 'node:crypto';
import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { runInCallContext } from '../../auth/call-context.js';
import { Clock } from '../../clock/clock.js';
import { databaseUnavailableCause } from '../../common/database-unavailable.js';
import { DomainException, notFound } from '../../common/domain-exception.js';
import { DefinitionService, type DefinitionRow } from '../../engine/definition.service.js';
import { isUuid } from '../../engine/engine.service.js';
import { StepService } from '../../engine/step.service.js';
import { OrgService } from '../../org/org.service.js';
import type { CellError } from '../../problems/import/import-columns.js';
import { AppConfig } from '../../config/app-config.js';
import { importQueue } from '../../problems/import/import-queue.js';
import { ImportRunner } from '../../problems/import/import-runner.js';
import { startProcesses } from '../../problems/import/start-processes.js';
import { newAfterCommit, type StepAfterCommit } from '../../problems/rectification/step-after-commit.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { PETITION } from '../petition-handlers.js';
import { PetitionsRepository, type ClaimedBatch } from '../petitions.repository.js';
import { checkPetitionRow, dedupeKey, type PetitionDraft } from '../rules/petition-rules.js';
import { PETITION_COLUMNS, type PetitionColumn } from './petition-columns.js';
import { readPetitionSheet, type PetitionSheetRow } from './petition-sheet-reader.js';

const MAX_LISTED = 1000;

export interface BatchInput {
  code: string;
  title: string;
  receivedOn: string;
  closeBy: string;
  assignDays: number;
}

/** A complaint as the office types it in: the sheet's columns the team fills. */
export type EnteredPetition = Partial<
  Record<
    | 'code'
    | 'summary'
    | 'district'
    | 'pollutionType'
    | 'unit'
    | 'complainantName'
    | 'complainantPhone'
    | 'complainantAddress',
    string
  >
>;

/** The form field a row error's column names. */
function fieldOf(column: string): string {
  const key = (Object.keys(PETITION_COLUMNS) as PetitionColumn[]).find((k) => PETITION_COLUMNS[k] === column);
  return key ?? column;
}

function refused(message: string, errors: CellError[]): DomainException {
  const more = errors.length > MAX_LISTED ? `；仅列出前 ${MAX_LISTED} 项` : '';
  return new DomainException('IMPORT_INVALID', 422, `${message}${more}`, { errors: errors.slice(0, MAX_LISTED) });
}

/**
 * A batch of the team's complaints in: the sheet is checked whole (all or nothing, every bad cell in Chinese) and
 * answered at once; a node then stores the complaints and starts one `petition` process per complaint (重复件 are
 * linked to the earlier one and get none) in one transaction that also marks the batch imported. The batch row
 * is the job: the problem import's runner (src/problems/import) claims, beats and takes it over.
 */
@Injectable()
export class PetitionImportService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly runner: ImportRunner<ClaimedBatch>;

  constructor(
    private readonly db: DataSource,
    private readonly petitions: PetitionsRepository,
    private readonly org: OrgService,
    private readonly definitions: DefinitionService,
    private readonly steps: StepService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.runner = new ImportRunner({
      name: 'petition batch',
      table: petitions.jobs,
      queue: importQueue(config, 'petition-import'),
      work: (job, progress) => this.store(job, progress),
      rolledBack: { status: 'failed', message: (n) => `导入所在节点已中断 ${n} 次，批次已整体撤回，请重新上传` },
      failed: (cause) => `导入失败：${cause}；本批次未导入任何信访件`,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }

  async deployed(): Promise<DefinitionRow> {
    return this.definitions.latest(PETITION).catch(() => {
      throw new DomainException('NOT_DEPLOYED', 409, `信访件办理流程（${PETITION}）尚未部署，未导入任何信访件`);
    });
  }

  /** Every row checked; any bad cell refuses the sheet. */
  async check(file: Buffer): Promise<PetitionDraft[]> {
    const sheet = await readPetitionSheet(file);
    if ('refused' in sheet) throw refused(sheet.refused, sheet.errors);
    const { drafts, errors } = await this.checkRows(sheet.rows);
    if (errors.length) {
      const rows = new Set(errors.map((e) => e.row)).size;
      throw refused(`${rows} 行中有 ${errors.length} 个单元格有误，未导入任何信访件`, errors);
    }
    return drafts;
  }

  /**
   * Rows checked against the units and the stored complaints (受理编号 taken, 重复件 by place and matter), the
   * sheet's and the hand-entered alike.
   */
  private async checkRows(rows: PetitionSheetRow[]): Promise<{ drafts: PetitionDraft[]; errors: CellError[] }> {
    const units = await this.org.directory();
    const codes: string[] = [];
    for (const r of rows) {
      const c = r.cells.code;
      if (c?.kind === 'text') codes.push(c.text);
      else if (c?.kind === 'number') codes.push(String(c.value));
    }
    const stored = await this.petitions.storedCodes(codes);
    const drafts: PetitionDraft[] = [];
    const errors: CellError[] = [];
    const ctx = {
      resolveUnit: (ref: string) => units.resolve(ref)?.code ?? null,
      storedCodes: stored,
      storedKeys: new Map<string, string>(),
      seenCodes: new Map<string, number>(),
      seenKeys: new Map<string, string>(),
    };
    // Stored complaints with the same place and matter are looked up once for the whole sheet.
    const keys = rows.map((r) => {
      const t = (k: 'district' | 'summary') => {
        const c = r.cells[k];
        return c?.kind === 'text' ? c.text : c?.kind === 'number' ? String(c.value) : '';
      };
      return dedupeKey(t('district'), t('summary'));
    });
    ctx.storedKeys = await this.petitions.storedKeys([...new Set(keys)]);
    for (const row of rows) {
      const res = checkPetitionRow(row, ctx);
      if ('errors' in res) errors.push(...res.errors);
      else drafts.push(res.draft);
    }
    return { drafts, errors };
  }

  /**
   * One complaint entered by hand into an imported batch (one the team forwarded outside the sheet): checked as
   * a row of the sheet (every bad field named, 重复件 linked to the earlier one), stored with its process started
   * in one transaction. A published batch takes no more complaints.
   */
  async enter(
    batchId: string,
    input: EnteredPetition,
    user: AuthUser,
  ): Promise<{ id: string; code: string; duplicateOf: string | null }> {
    const batch = isUuid(batchId) ? await this.petitions.findBatch(batchId) : null;
    if (!batch) throw notFound('信访件批次', batchId);
    if (batch.status !== 'done')
      throw new DomainException('NOT_IMPORTED', 409, `批次 ${batch.code} 尚未导入完成，不能录入信访件`);
    if (batch.published_at)
      throw new DomainException('BATCH_PUBLISHED', 409, `批次 ${batch.code} 已公开，不能再录入信访件`);
    const def = await this.deployed();
    const cells: PetitionSheetRow['cells'] = {};
    for (const [field, value] of Object.entries(input) as [keyof EnteredPetition, string | undefined][]) {
      const t = value?.trim();
      cells[field] = t ? { kind: 'text', text: t } : { kind: 'empty' };
    }
    const row = (await this.petitions.lastRowNo(batch.id)) + 1;
    const { drafts, errors } = await this.checkRows([{ row, cells }]);
    if (errors.length) {
      const fields = errors.map((e) => ({ field: fieldOf(e.column), message: e.message }));
      throw new DomainException('VALIDATION', 422, errors.map((e) => `${e.column}：${e.message}`).join('；'), {
        fields,
      });
    }
    const draft = drafts[0];
    const after = newAfterCommit();
    let id = '';
    await runInCallContext({ kind: 'request', user }, () =>
      this.db.transaction(async (m) => {
        id = await this.storeIn(m, { ...batch, drafts: [draft] }, def, after, () => {});
        await this.petitions.countEntered(batch.id, m);
        await this.audit.record(
          {
            actor: user.accountId,
            actorName: user.username,
            action: 'petition.entered',
            entityType: 'petition',
            entityId: id,
            details: { batch: batch.code, code: draft.code, duplicateOf: draft.duplicateOf },
          },
          m,
        );
      }),
    );
    await this.steps.deliver(after);
    return { id, code: draft.code, duplicateOf: draft.duplicateOf };
  }

  /** Checked whole, then answered with the batch (its import runs in the background). */
  async submit(file: Buffer, input: BatchInput, user: AuthUser | null): Promise<{ id: string; rows: number }> {
    await this.checkBatch(input);
    const drafts = await this.check(file);
    await this.deployed();
    const id = randomUUID();
    await this.petitions.dropFailed(input.code);
    await this.petitions.insertBatch({ id, ...input, drafts, user, at: this.clock.date() }).catch((e) => {
      if ((e as { code?: string }).code === '23505') throw batchTaken(input.code);
      throw e;
    });
    await this.runner.add(id);
    return { id, rows: drafts.length };
  }

  /** The same, stored before this returns (the demo and the command line). */
  async importNow(file: Buffer, input: BatchInput, user: AuthUser | null = null): Promise<string> {
    const { id } = await this.submit(file, input, user);
    await this.runner.run(id);
    const b = await this.petitions.findBatch(id);
    if (b?.status !== 'done') throw new DomainException('IMPORT_FAILED', 500, b?.message ?? '批次导入失败');
    return id;
  }

  private async checkBatch(input: BatchInput): Promise<void> {
    const today = chinaDate(this.clock.now());
    const field = (f: string, message: string) =>
      new DomainException('VALIDATION', 422, `${f}：${message}`, { fields: [{ field: f, message }] });
    if (input.closeBy < input.receivedOn) throw field('closeBy', '办结时限不能早于交办日期');
    if (input.receivedOn > today) throw field('receivedOn', '交办日期不能晚于今天');
    if (await this.petitions.batchCodeTaken(input.code)) throw batchTaken(input.code);
  }

  private async store(job: ClaimedBatch, progress: (n: number) => void): Promise<void> {
    const def = await this.deployed();
    const after = newAfterCommit();
    const user = job.created_by_user;
    const work = () =>
      this.db.transaction(async (m) => {
        await this.storeIn(m, job, def, after, progress);
        await this.audit.record(
          {
            actor: user?.accountId ?? 'system',
            actorName: user?.username ?? '系统',
            action: 'petitions.imported',
            entityType: 'petition_batch',
            entityId: job.id,
            details: { code: job.code, count: job.drafts.length },
          },
          m,
        );
        await this.petitions.jobs.markDone(job.id, m);
      });
    if (user) await runInCallContext({ kind: 'request', user }, work);
    else await work();
    await this.steps.deliver(after);
  }

  /** The batch's complaints and their processes in `m`; answers the first complaint's id. */
  private async storeIn(
    m: EntityManager,
    job: Pick<ClaimedBatch, 'id' | 'assign_days' | 'close_by' | 'drafts'>,
    def: DefinitionRow,
    after: StepAfterCommit,
    progress: (n: number) => void,
  ): Promise<string> {
    const ids = new Map(job.drafts.map((d) => [d.code, randomUUID()]));
    const earlier = await this.petitions.idsOfCodes(
      job.drafts.filter((d) => d.duplicateOf && !ids.has(d.duplicateOf)).map((d) => d.duplicateOf!),
      m,
    );
    const assignedOn = chinaDate(this.clock.now());
    const rows = job.drafts.map((d) => ({
      ...d,
      id: ids.get(d.code)!,
      duplicateOfId: d.duplicateOf ? (ids.get(d.duplicateOf) ?? earlier.get(d.duplicateOf) ?? null) : null,
    }));
    let current = null as PetitionDraft | null;
    try {
      await this.petitions.insertMany(rows, job.id, assignedOn, this.clock.date(), m);
      let started = 0;
      await startProcesses(
        this.steps,
        def,
        rows.filter((r) => !r.duplicateOfId),
        {
          m,
          after,
          businessKey: (r) => r.code,
          variables: (r) => ({
            petitionId: r.id,
            petitionCode: r.code,
            batchId: job.id,
            unitCode: r.unitCode,
            district: r.district,
            pollutionType: r.pollutionType,
            assignedOn,
            assignDays: job.assign_days,
            closeBy: job.close_by,
          }),
          bind: (bound, q) => this.petitions.bindInstances(bound, q),
          starting: (r) => (current = r),
          started: () => progress(++started),
        },
      );
      return rows[0]?.id ?? '';
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw new DomainException('CONFLICT', 409, '受理编号已由另一次导入或录入写入，未保存任何信访件', {
          fields: [{ field: 'code', message: '受理编号已存在' }],
        });
      if (err instanceof DomainException || databaseUnavailableCause(err)) throw err;
      throw new DomainException(
        'IMPORT_FAILED',
        500,
        `信访件 ${current?.code ?? '?'} 的办理流程无法启动：${(err as Error).message}；本批次未导入任何信访件`,
        {
          errors: current ? [{ row: current.row, column: '', message: `流程启动失败：${(err as Error).message}` }] : [],
        },
      );
    }
  }
}

function batchTaken(code: string): DomainException {
  return new DomainException('CONFLICT', 409, `批次 ${code} 已导入过：请换一个批次号`, {
    fields: [{ field: 'code', message: '批次号已存在' }],
  });
}
