import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../engine/definition.service.js';
import { isUuid } from '../engine/engine.service.js';
import type { EvidenceCategory } from './evidence-category.js';

export interface FileRow {
  id: string;
  /** The problem or the complaint (信访件) the file is evidence of: one of the two. */
  problem_id: string | null;
  petition_id: string | null;
  task_id: string | null;
  name: string;
  size: string | number;
  sha256: string;
  content_type: string;
  type: string;
  note: string | null;
  /** 佐证材料类别: photo 现场照片, report 监测报告, document 文件资料 (null: by its content). */
  category: EvidenceCategory | null;
  uploader_account: string;
  uploader_name: string | null;
  created_at: Date;
}

export type NewFile = Omit<FileRow, 'created_at' | 'size'> & { size: number; created_at: Date };

const COLUMNS = `id, problem_id, petition_id, task_id, name, size, sha256, content_type, type, note, uploader_account, uploader_name, created_at, category`;

/** Evidence file rows: single-purpose queries. */
@Injectable()
export class FilesRepository {
  constructor(private readonly db: DataSource) {}

  /** A problem by its id or its code. */
  async findProblem(ref: string, q: Queryable = this.db): Promise<{ id: string; code: string } | null> {
    const [row] = isUuid(ref)
      ? await q.query(`SELECT id, code FROM problem WHERE id = $1`, [ref])
      : await q.query(`SELECT id, code FROM problem WHERE code = $1`, [ref]);
    return row ?? null;
  }

  /** Whether the task (open or done) belongs to the problem's process instances. */
  async taskOfProblem(taskId: string, problemCode: string, q: Queryable = this.db): Promise<boolean> {
    if (!isUuid(taskId)) return false;
    const rows = await q.query(
      `SELECT 1 FROM engine_task WHERE id = $1 AND business_key = $2
       UNION ALL
       SELECT 1 FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id WHERE h.task_id = $1 AND i.business_key = $2
       LIMIT 1`,
      [taskId, problemCode],
    );
    return rows.length > 0;
  }

  async insert(f: NewFile, q: Queryable = this.db): Promise<FileRow> {
    const [row] = await q.query(
      `INSERT INTO evidence_file (${COLUMNS}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING ${COLUMNS}`,
      [
        f.id,
        f.problem_id,
        f.petition_id,
        f.task_id,
        f.name,
        f.size,
        f.sha256,
        f.content_type,
        f.type,
        f.note,
        f.uploader_account,
        f.uploader_name,
        f.created_at,
        f.category,
      ],
    );
    return row;
  }

  /** The complaint (信访件) an open task of its process is about, or null. */
  async petitionOfTask(taskId: string, q: Queryable = this.db): Promise<string | null> {
    if (!isUuid(taskId)) return null;
    const [row] = await q.query(
      `SELECT p.id FROM engine_task t JOIN petition p ON p.process_instance_id = t.instance_id
       WHERE t.id = $1 AND t.definition_key = 'petition'`,
      [taskId],
    );
    return row?.id ?? null;
  }

  async ofPetition(petitionId: string, q: Queryable = this.db): Promise<FileRow[]> {
    return q.query(`SELECT ${COLUMNS} FROM evidence_file WHERE petition_id = $1 ORDER BY created_at, id`, [petitionId]);
  }

  /** Of `ids`, those that are evidence files of the complaint. */
  async petitionFiles(petitionId: string, ids: string[], q: Queryable = this.db): Promise<Set<string>> {
    const rows: { id: string }[] = await q.query(
      `SELECT id FROM evidence_file WHERE petition_id = $1 AND id::text = ANY($2::text[])`,
      [petitionId, ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  async find(id: string, q: Queryable = this.db): Promise<FileRow | null> {
    if (!isUuid(id)) return null;
    const [row] = await q.query(`SELECT ${COLUMNS} FROM evidence_file WHERE id = $1`, [id]);
    return row ?? null;
  }

  async ofProblem(problemId: string, q: Queryable = this.db): Promise<FileRow[]> {
    return q.query(`SELECT ${COLUMNS} FROM evidence_file WHERE problem_id = $1 ORDER BY created_at, id`, [problemId]);
  }
}
