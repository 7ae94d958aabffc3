import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../clock/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DomainException, notFound } from '../common/domain-exception.js';
import { safeFileName } from './file-names.js';
import { FileStorage } from './file-storage.js';
import { FilesRepository, type FileRow } from './files.repository.js';
import { sniff } from './sniff.js';
import { categoryOf, type EvidenceCategory } from './evidence-category.js';

export interface FileView {
  id: string;
  problemId: string | null;
  /** The complaint (信访件) the file is evidence of, when it is one's. */
  petitionId: string | null;
  taskId: string | null;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  type: string;
  note: string | null;
  /** 佐证材料类别 as uploaded, else as its content suggests (an image: 现场照片; anything else: 文件资料). */
  category: EvidenceCategory;
  uploadedBy: { accountId: string; name: string | null };
  createdAt: Date;
}

/** What multer's memory storage hands over for the `file` field. */
export interface IncomingFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/** Evidence files (佐证材料): accepted by their content, stored by a generated id with their SHA-256. */
@Injectable()
export class FilesService {
  constructor(
    private readonly repo: FilesRepository,
    private readonly storage: FileStorage,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async upload(
    problemRef: string,
    file: IncomingFile | undefined,
    opts: { taskId?: string; note?: string; category?: EvidenceCategory },
    user?: AuthUser,
  ): Promise<FileView> {
    const problem = await this.repo.findProblem(problemRef);
    if (!problem) throw notFound('problem', problemRef);
    return this.store({ problem_id: problem.id, petition_id: null }, file, opts, user, async (taskId) =>
      (await this.repo.taskOfProblem(taskId, problem.code))
        ? null
        : `no task ${taskId} in the process of problem ${problem.code}`,
    );
  }

  /** A complaint's evidence (调查核实, 处理), uploaded on an open task of its process. */
  async uploadForTaskPetition(
    taskId: string,
    file: IncomingFile | undefined,
    opts: { note?: string; category?: EvidenceCategory },
    user?: AuthUser,
  ): Promise<FileView> {
    const petitionId = await this.petitionOf(taskId);
    return this.store({ problem_id: null, petition_id: petitionId }, file, { ...opts, taskId }, user, async () => null);
  }

  /** The evidence of the complaint an open task is about, oldest first. */
  async listOfTaskPetition(taskId: string): Promise<FileView[]> {
    return (await this.repo.ofPetition(await this.petitionOf(taskId))).map(view);
  }

  /** One file of the complaint an open task is about; a file of anything else is not found. */
  async openOfTaskPetition(taskId: string, id: string): Promise<{ file: FileView; stream: Readable }> {
    const petitionId = await this.petitionOf(taskId);
    const row = await this.repo.find(id);
    if (!row || row.petition_id !== petitionId) throw notFound('file', id);
    return { file: view(row), stream: await this.storage.get(row.id) };
  }

  private async petitionOf(taskId: string): Promise<string> {
    const id = await this.repo.petitionOfTask(taskId);
    if (!id) throw notFound('信访件办理任务', taskId);
    return id;
  }

  /** Checked by its content and size, then stored by a generated id for its owner (a problem or a complaint). */
  private async store(
    owner: { problem_id: string | null; petition_id: string | null },
    file: IncomingFile | undefined,
    opts: { taskId?: string; note?: string; category?: EvidenceCategory },
    user: AuthUser | undefined,
    badTask: (taskId: string) => Promise<string | null>,
  ): Promise<FileView> {
    if (!file?.buffer)
      throw new DomainException('VALIDATION', 422, 'file：请选择要上传的文件', {
        fields: [{ field: 'file', message: '请选择要上传的文件' }],
      });
    if (file.buffer.length > this.config.DUBAN_MAX_UPLOAD_BYTES) throw tooLarge(this.config.DUBAN_MAX_UPLOAD_BYTES);
    const name = safeFileName(file.originalname);
    const found = sniff(file.buffer);
    if (!found.allowed) {
      throw new DomainException(
        'UNSUPPORTED_MEDIA_TYPE',
        415,
        `${name}：文件内容是 ${found.type}（${found.mime}），只接受 JPEG、PNG、WebP、HEIC 图片和 PDF、Word、Excel、PowerPoint 文件`,
        {
          detectedType: found.type,
          detectedMime: found.mime,
        },
      );
    }
    const taskId = opts.taskId ?? null;
    const refused = taskId ? await badTask(taskId) : null;
    if (refused) {
      throw new DomainException('UNKNOWN_REFERENCE', 422, `taskId：${refused}`, {
        fields: [{ field: 'taskId', message: refused }],
      });
    }
    const id = randomUUID();
    await this.storage.put(id, file.buffer);
    try {
      const row = await this.repo.insert({
        id,
        ...owner,
        task_id: taskId,
        name,
        size: file.buffer.length,
        sha256: createHash('sha256').update(file.buffer).digest('hex'),
        content_type: found.mime,
        type: found.type,
        note: opts.note?.trim() || null,
        category: opts.category ?? null,
        uploader_account: user?.accountId ?? 'system',
        uploader_name: user ? (user.personName ?? user.username) : null,
        created_at: this.clock.date(),
      });
      return view(row);
    } catch (e) {
      await this.storage.delete(id).catch(() => undefined);
      throw e;
    }
  }

  async list(problemRef: string): Promise<FileView[]> {
    const problem = await this.repo.findProblem(problemRef);
    if (!problem) throw notFound('problem', problemRef);
    return (await this.repo.ofProblem(problem.id)).map(view);
  }

  /** One file's metadata; with a problem reference, a file of another problem is not found. */
  async get(id: string, problemRef?: string): Promise<FileView> {
    const row = await this.repo.find(id);
    if (!row) throw notFound('file', id);
    if (problemRef !== undefined) {
      const problem = await this.repo.findProblem(problemRef);
      if (!problem || problem.id !== row.problem_id) throw notFound('file', id);
    }
    return view(row);
  }

  async open(id: string, problemRef?: string): Promise<{ file: FileView; stream: Readable }> {
    const file = await this.get(id, problemRef);
    return { file, stream: await this.storage.get(file.id) };
  }

  /** The problem a file belongs to (for the access guard), or null for an unknown file. */
  async problemIdOfFile(id: string): Promise<string | null> {
    return (await this.repo.find(id))?.problem_id ?? null;
  }
}

export function tooLarge(max: number): DomainException {
  return new DomainException('PAYLOAD_TOO_LARGE', 413, `文件超过上传上限 ${formatBytes(max)}（${max} 字节）`, {
    limit: max,
  });
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MB` : `${+(n / 1024).toFixed(1)} KB`;
}

function view(r: FileRow): FileView {
  return {
    id: r.id,
    problemId: r.problem_id,
    petitionId: r.petition_id,
    taskId: r.task_id,
    name: r.name,
    size: Number(r.size),
    sha256: r.sha256,
    contentType: r.content_type,
    type: r.type,
    note: r.note,
    category: categoryOf(r),
    uploadedBy: { accountId: r.uploader_account, name: r.uploader_name },
    createdAt: r.created_at,
  };
}
