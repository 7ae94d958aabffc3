import { Controller, Get, Header, Injectable, Param, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import JSZip from 'jszip';
import { DataSource } from 'typeorm';
import { ErrorResponse } from '../../auth/dto/login.dto.js';
import { DomainException, notFound } from '../../common/domain-exception.js';
import { isUuid } from '../../engine/engine.service.js';
import { EVIDENCE_CATEGORY_LABELS, categoryOf, type EvidenceCategory } from '../../files/evidence-category.js';
import { FileStorage } from '../../files/file-storage.js';
import { OrgService } from '../../org/org.service.js';
import { STATUS_LABELS } from '../../problems/problem-status.js';
import { ProblemDetailsRepository } from '../../problems/problem-details.repository.js';
import { ProblemsRepository, type ProblemRow } from '../../problems/problems.repository.js';
import { chinaDate } from '../../problems/rules/china-date.js';
import { ActionDocuments } from '../action-documents.js';
import { BulletinRepository } from '../bulletin.repository.js';
import { issuerOf } from '../bulletin-view.js';
import { binary } from '../dto/reports.doc.js';
import { attachment } from '../export/official-docx.js';
import { archiveCoverDocx, type ArchiveCover } from './archive-cover.js';

/** The most an archive holds: files, documents, and bytes of evidence (stored files only, before compression). */
export const ARCHIVE_MAX_FILES = 500;
export const ARCHIVE_MAX_DOCUMENTS = 200;
export const ARCHIVE_MAX_BYTES = 1024 * 1024 * 1024;

const LEVELS: Record<string, string> = { province: '省级', city: '市级', county: '县级', town: '乡镇' };
const OUTCOMES: Record<string, string> = {
  passed: '公示无异议，予以销号',
  objected: '异议成立，退回整改',
  returned: '退回整改',
};

interface FileRow {
  id: string;
  name: string;
  size: string;
  type: string;
  category: EvidenceCategory | null;
  uploader_name: string | null;
  created_at: Date;
}

const china = (d: Date | string | null) => (d ? chinaDate(new Date(d).getTime()) : '');
const chinaTime = (d: Date | string | null) =>
  d ? new Date(new Date(d).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '—';

/**
 * 一案一档: a problem's archive as one zip, streamed — the cover sheet (.docx: the problem, its units, the
 * plan, each step with who and when, the documents issued, the sign-off record), every evidence file as
 * stored, and each supervision document as its .docx.
 */
@Injectable()
export class ProblemArchive {
  constructor(
    private readonly db: DataSource,
    private readonly problems: ProblemsRepository,
    private readonly details: ProblemDetailsRepository,
    private readonly org: OrgService,
    private readonly storage: FileStorage,
    private readonly documents: ActionDocuments,
    private readonly bulletins: BulletinRepository,
  ) {}

  async build(ref: string): Promise<{ name: string; stream: NodeJS.ReadableStream }> {
    const p = isUuid(ref) ? await this.problems.findById(ref) : await this.problems.findByCode(ref);
    if (!p) throw notFound('problem', ref);
    const files: FileRow[] = await this.db.query(
      `SELECT id, name, size, type, category, uploader_name, created_at FROM evidence_file WHERE problem_id = $1
       ORDER BY created_at, id LIMIT ${ARCHIVE_MAX_FILES + 1}`,
      [p.id],
    );
    const bytes = files.reduce((n, f) => n + Number(f.size), 0);
    if (files.length > ARCHIVE_MAX_FILES || bytes > ARCHIVE_MAX_BYTES)
      throw new DomainException(
        'ARCHIVE_TOO_LARGE',
        413,
        `问题 ${p.code} 的佐证材料超过档案上限（${ARCHIVE_MAX_FILES} 个文件、${ARCHIVE_MAX_BYTES / 1024 / 1024} MB），请分别下载`,
      );
    const actions: { id: string; title: string; document_no: string | null; issued_at: Date }[] = await this.db.query(
      `SELECT id, title, document_no, issued_at FROM supervision_action WHERE problem_id = $1 ORDER BY issued_at, id LIMIT ${ARCHIVE_MAX_DOCUMENTS}`,
      [p.id],
    );
    const zip = new JSZip();
    zip.file(`${safe(p.code)}-问题整改档案.docx`, await archiveCoverDocx(await this.cover(p, files, actions)));
    const used = new Set<string>();
    for (const [i, f] of files.entries()) {
      const name = unique(used, `佐证材料/${String(i + 1).padStart(3, '0')}-${safe(f.name)}`);
      zip.file(name, await this.storage.get(f.id));
    }
    for (const [i, a] of actions.entries()) {
      const doc = await this.documents.docx(a.id);
      zip.file(unique(used, `督办文书/${String(i + 1).padStart(3, '0')}-${safe(doc.name)}`), doc.content);
    }
    const stream = zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE' });
    return { name: `${p.code}-一案一档.zip`, stream };
  }

  private async cover(
    p: ProblemRow,
    files: FileRow[],
    actions: { title: string; document_no: string | null; issued_at: Date }[],
  ): Promise<ArchiveCover> {
    const units = await this.org.directory();
    const { city } = await this.bulletins.unitNames();
    const [leader] = p.responsible_leader ? await this.problems.leaderAccounts(p.responsible_leader) : [];
    const steps: { name: string | null; who: string | null; started_at: Date; ended_at: Date }[] = await this.db.query(
      `SELECT h.activity_name AS name, coalesce(op.name, a.username, h.assignee) AS who, h.started_at, h.ended_at
       FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id
       LEFT JOIN account a ON a.username = h.assignee LEFT JOIN org_person op ON op.id = a.person_id
       WHERE i.business_key = $1 AND h.activity_type = 'bpmn:UserTask' AND h.ended_at IS NOT NULL AND NOT h.canceled
       ORDER BY h.ended_at, h.id LIMIT 1000`,
      [p.code],
    );
    const notices: { started_at: Date; ends_on: string; outcome: string | null; objections: number }[] =
      await this.db.query(
        `SELECT n.started_at, n.ends_on::text AS ends_on, n.outcome,
           (SELECT count(*)::int FROM signoff_objection o WHERE o.notice_id = n.id) AS objections
         FROM signoff_notice n WHERE n.problem_id = $1 ORDER BY n.started_at LIMIT 100`,
        [p.id],
      );
    const filings: { to_level: string; filed_at: Date }[] = await this.db.query(
      `SELECT to_level, filed_at FROM signoff_filing WHERE problem_id = $1 ORDER BY filed_at LIMIT 100`,
      [p.id],
    );
    return {
      issuer: issuerOf(city),
      problem: {
        code: p.code,
        title: p.title,
        category: p.category,
        source: p.source,
        leadUnit: units.name(p.lead_unit),
        coUnits: p.responsible_units.filter((u) => u !== p.lead_unit).map((u) => units.name(u)),
        person: p.responsible_person,
        leader: leader ? leader.name : p.responsible_leader,
        deadline: p.deadline,
        goal: p.goal,
        status: STATUS_LABELS[p.status] ?? p.status,
        signedOffOn: p.signed_off_at ? china(p.signed_off_at) : null,
      },
      milestones: (await this.details.milestones(p.id)).map((m) => ({
        title: m.title,
        dueDate: m.due_date,
        doneDate: m.done_date,
      })),
      steps: steps.map((s) => ({
        name: s.name ?? '—',
        who: s.who ?? '—',
        startedAt: chinaTime(s.started_at),
        endedAt: chinaTime(s.ended_at),
      })),
      documents: actions.map((a) => ({
        documentNo: a.document_no ?? '—',
        title: a.title,
        issuedOn: china(a.issued_at),
      })),
      notices: notices.map((n) => ({
        startedOn: china(n.started_at),
        endsOn: n.ends_on,
        outcome: n.outcome ? (OUTCOMES[n.outcome] ?? n.outcome) : '公示中',
        objections: n.objections,
      })),
      filings: filings.map((f) => ({ toLevel: LEVELS[f.to_level] ?? f.to_level, filedOn: china(f.filed_at) })),
      effectChecks: (await this.problems.effectChecksOf(p.id)).map((e) => ({
        checkedOn: china(e.checked_at),
        conclusion: e.rebound ? '问题反弹' : e.effective ? '整改见效' : '未反弹，成效尚未显现',
        findings: e.findings,
      })),
      files: files.map((f) => ({
        name: f.name,
        category: EVIDENCE_CATEGORY_LABELS[categoryOf(f)],
        uploadedBy: f.uploader_name ?? '—',
        uploadedOn: china(f.created_at),
      })),
    };
  }
}

/** A name as a zip entry: no folders of its own, no control characters. */
function safe(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').slice(0, 120) || '文件';
}

function unique(used: Set<string>, name: string): string {
  let n = name;
  for (let i = 2; used.has(n); i++) n = name.replace(/(\.[^./]*)?$/, (ext) => `（${i}）${ext}`);
  used.add(n);
  return n;
}

@ApiTags('reports')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/problems')
export class ProblemArchiveController {
  constructor(private readonly archive: ProblemArchive) {}

  @Get(':id/archive.zip')
  @Header('Content-Type', 'application/zip')
  @ApiOperation({
    summary:
      '一案一档: the problem’s archive as one zip — a cover sheet (.docx), every evidence file, each supervision document (.docx)',
  })
  @ApiParam({ name: 'id', description: 'problem id (uuid) or code' })
  @ApiOkResponse(binary('application/zip'))
  @ApiForbiddenResponse({
    description: 'leaders, inspectors, and units for another unit’s problem',
    type: ErrorResponse,
  })
  @ApiNotFoundResponse({ description: 'no problem with this id or code', type: ErrorResponse })
  @ApiResponse({ status: 401, description: 'not signed in, or the token expired', type: ErrorResponse })
  @ApiResponse({ status: 413, description: 'more evidence than one archive holds', type: ErrorResponse })
  async zip(@Param('id') id: string) {
    const { name, stream } = await this.archive.build(id);
    return new StreamableFile(stream as unknown as import('node:stream').Readable, {
      disposition: attachment('archive.zip', name),
    });
  }
}
