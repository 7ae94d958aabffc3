import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import type { AuthUser } from '../../auth/auth-user.js';
import { runInCallContext } from '../../auth/call-context.js';
import { Clock } from '../../clock/clock.js';
import { databaseUnavailableCause } from '../../common/database-unavailable.js';
import { DomainException } from '../../common/domain-exception.js';
import { DefinitionService, type DefinitionRow } from '../../engine/definition.service.js';
import { StepService } from '../../engine/step.service.js';
import { OrgService } from '../../org/org.service.js';
import type { CellError } from '../../problems/import/import-columns.js';
import { LocalImportQueue } from '../../problems/import/import-queue.js';
import { newAfterCommit, type StepAfterCommit } from '../../problems/rectification/step-after-commit.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { PETITION } from '../petition-handlers.js';
import { PetitionsRepository, type ClaimedBatch } from '../petitions.repository.js';
import { checkPetitionRow, dedupeKey, type PetitionDraft } from '../rules/petition-rules.js';
import { readPetitionSheet } from './petition-sheet-reader.js';

const MAX_LISTED = 1000;
const BEAT_MS = 2_000;
const STALE_MS = 20_000;
const SWEEP_MS = 5_000;
const QUEUED_MS = 15_000;
const MAX_ATTEMPTS = 3;
/** Processes bound per statement. */
const BIND = 500;

export interface BatchInput {
  code: string;
  title: string;
  receivedOn: string;
  closeBy: string;
  assignDays: number;
}

function refused(message: string, errors: CellError[]): DomainException {
  const more = errors.length > MAX_LISTED ? `；仅列出前 ${MAX_LISTED} 项` : '';
  return new DomainException('IMPORT_INVALID', 422, `${message}${more}`, { errors: errors.slice(0, MAX_LISTED) });
}

/**
 * A batch of the team's complaints in: the sheet is checked whole (all or nothing, every bad cell in Chinese) and
 * answered at once; a node then stores the complaints and starts one `petition` process per complaint (重复件 are
 * linked to the earlier one and get none) in one transaction that also marks the batch imported. The heartbeat,
 * claim and take-over follow the problem import's jobs (src/problems/import), on the batch row itself.
 */
@Injectable()
export class PetitionImportService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('petitions');
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly queue = new LocalImportQueue();
  private sweeper: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly petitions: PetitionsRepository,
    private readonly org: OrgService,
    private readonly definitions: DefinitionService,
    private readonly steps: StepService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start((id) => this.run(id));
    this.sweeper = setInterval(() => {
      if (!this.sweeping) this.sweeping = this.sweep().finally(() => (this.sweeping = null));
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await this.sweeping;
    await this.queue.stop();
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
    const units = await this.org.directory();
    const codes: string[] = [];
    for (const r of sheet.rows) {
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
    const keys = sheet.rows.map((r) => {
      const t = (k: 'district' | 'summary') => {
        const c = r.cells[k];
        return c?.kind === 'text' ? c.text : c?.kind === 'number' ? String(c.value) : '';
      };
      return dedupeKey(t('district'), t('summary'));
    });
    ctx.storedKeys = await this.petitions.storedKeys([...new Set(keys)]);
    for (const row of sheet.rows) {
      const res = checkPetitionRow(row, ctx);
      if ('errors' in res) errors.push(...res.errors);
      else drafts.push(res.draft);
    }
    if (errors.length) {
      const rows = new Set(errors.map((e) => e.row)).size;
      throw refused(`${rows} 行中有 ${errors.length} 个单元格有误，未导入任何信访件`, errors);
    }
    return drafts;
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
    await this.queue.add(id);
    return { id, rows: drafts.length };
  }

  /** The same, stored before this returns (the demo and the command line). */
  async importNow(file: Buffer, input: BatchInput, user: AuthUser | null = null): Promise<string> {
    const { id } = await this.submit(file, input, user);
    await this.run(id);
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

  async run(id: string): Promise<void> {
    const job = await this.petitions.claim(id, this.owner, STALE_MS);
    if (!job) return;
    if (job.attempts > MAX_ATTEMPTS) {
      await this.petitions.markFailed(
        id,
        this.owner,
        `导入所在节点已中断 ${MAX_ATTEMPTS} 次，批次已整体撤回，请重新上传`,
        [],
      );
      return;
    }
    let done = 0;
    let beating: Promise<void> | null = null;
    const beat = setInterval(() => {
      if (!beating)
        beating = this.petitions
          .beat(id, this.owner, done)
          .catch((e) => this.logger.warn(`petition batch ${id} heartbeat: ${(e as Error).message}`))
          .finally(() => (beating = null));
    }, BEAT_MS);
    try {
      await this.store(job, (n) => (done = n));
      this.logger.log(`petition batch ${job.code}: ${job.rows} complaints assigned`);
    } catch (err) {
      if (databaseUnavailableCause(err)) {
        this.logger.warn(`petition batch ${id}: the database went away mid-import; it is run again from the start`);
        return;
      }
      const refusal =
        err instanceof DomainException
          ? err
          : new DomainException('IMPORT_FAILED', 500, `导入失败：${(err as Error).message}；本批次未导入任何信访件`);
      const errors = Array.isArray(refusal.details?.errors) ? (refusal.details.errors as CellError[]) : [];
      await this.petitions.markFailed(id, this.owner, refusal.message, errors);
      this.logger.warn(`petition batch ${id} failed: ${refusal.message}`);
    } finally {
      clearInterval(beat);
      await beating;
    }
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
        await this.petitions.markDone(job.id, m);
      });
    if (user) await runInCallContext({ kind: 'request', user }, work);
    else await work();
    await this.steps.deliver(after);
  }

  private async storeIn(
    m: EntityManager,
    job: ClaimedBatch,
    def: DefinitionRow,
    after: StepAfterCommit,
    progress: (n: number) => void,
  ): Promise<void> {
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
    let current: PetitionDraft | null = null;
    try {
      await this.petitions.insertMany(rows, job.id, assignedOn, this.clock.date(), m);
      let bound: { id: string; instanceId: string }[] = [];
      let started = 0;
      for (const r of rows) {
        if (r.duplicateOfId) continue;
        current = r;
        const vars = {
          petitionId: r.id,
          petitionCode: r.code,
          batchId: job.id,
          unitCode: r.unitCode,
          district: r.district,
          pollutionType: r.pollutionType,
          assignedOn,
          assignDays: job.assign_days,
          closeBy: job.close_by,
        };
        const inst = await this.steps.start(def, r.code, vars, undefined, { m, after });
        bound.push({ id: r.id, instanceId: inst.id });
        progress(++started);
        if (bound.length === BIND) {
          await this.petitions.bindInstances(bound, m);
          bound = [];
        }
      }
      current = null;
      await this.petitions.bindInstances(bound, m);
    } catch (err) {
      if ((err as { code?: string }).code === '23505')
        throw new DomainException('CONFLICT', 409, '本批次中有受理编号已由另一次导入写入，本批次未导入任何信访件');
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

  private async sweep(): Promise<void> {
    try {
      for (const id of await this.petitions.orphans(QUEUED_MS, STALE_MS, 10)) await this.queue.add(id);
    } catch (e) {
      this.logger.warn(`petition sweep: ${(e as Error).message}`);
    }
  }
}

function batchTaken(code: string): DomainException {
  return new DomainException('CONFLICT', 409, `批次 ${code} 已导入过：请换一个批次号`, {
    fields: [{ field: 'code', message: '批次号已存在' }],
  });
}
