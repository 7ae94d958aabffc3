import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface PublicProblemRow {
  code: string;
  title: string;
  category: string;
  lead_unit_name: string;
  deadline: string;
  status: string;
  signed_off_on: string | null;
  total: string;
}

/**
 * 信息公开: only the columns chosen for publication are ever selected — never the responsible person, a
 * description, an account or a phone. Every problem in the ledger is published once assigned (交办).
 */
@Injectable()
export class PublicRepository {
  constructor(private readonly db: DataSource) {}

  async page(q: string | undefined, offset: number, limit: number): Promise<PublicProblemRow[]> {
    const params: unknown[] = [];
    let where = '';
    if (q) {
      params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where = `WHERE p.code ILIKE $1 OR p.title ILIKE $1`;
    }
    return this.db.query(
      `SELECT p.code, p.title, p.category, coalesce(u.name, p.lead_unit) AS lead_unit_name, p.deadline::text AS deadline, p.status,
              ((p.signed_off_at AT TIME ZONE 'Asia/Shanghai')::date)::text AS signed_off_on, count(*) OVER () AS total
       FROM problem p LEFT JOIN org_unit u ON u.code = p.lead_unit
       ${where}
       ORDER BY p.code OFFSET ${offset} LIMIT ${limit}`,
      params,
    );
  }
}
