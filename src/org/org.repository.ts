import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../engine/definition.service.js';
import type { PersonRole } from './dto/create-person.dto.js';

export interface UnitRow {
  code: string;
  name: string;
  parent_code: string | null;
  created_at: Date;
}

export interface PersonRow {
  id: string;
  name: string;
  unit_code: string;
  role: PersonRole;
  phone: string | null;
  created_at: Date;
}

/** Units and persons: single-purpose queries. */
@Injectable()
export class OrgRepository {
  constructor(private readonly db: DataSource) {}

  async allUnits(q: Queryable = this.db): Promise<UnitRow[]> {
    return q.query(`SELECT code, name, parent_code, created_at FROM org_unit ORDER BY code`);
  }

  async findUnit(code: string, q: Queryable = this.db): Promise<UnitRow | null> {
    const [row] = await q.query(`SELECT code, name, parent_code, created_at FROM org_unit WHERE code = $1`, [code]);
    return row ?? null;
  }

  /** Inserts unless the code or the name is taken; answers which one was. */
  async insertUnit(unit: { code: string; name: string; parentCode: string | null }, at: Date, q: Queryable = this.db): Promise<'ok' | 'code' | 'name'> {
    const clash: { code: string; name: string }[] = await q.query(`SELECT code, name FROM org_unit WHERE code = $1 OR name = $2`, [unit.code, unit.name]);
    if (clash.some((c) => c.code === unit.code)) return 'code';
    if (clash.length) return 'name';
    const res = await q.query(
      `INSERT INTO org_unit (code, name, parent_code, created_at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING RETURNING code`,
      [unit.code, unit.name, unit.parentCode, at],
    );
    return res.length ? 'ok' : 'code';
  }

  async personsOfUnit(unitCode: string | null, q: Queryable = this.db): Promise<PersonRow[]> {
    return q.query(
      `SELECT id, name, unit_code, role, phone, created_at FROM org_person WHERE ($1::text IS NULL OR unit_code = $1) ORDER BY unit_code, role DESC, name`,
      [unitCode],
    );
  }

  async insertPerson(p: { name: string; unitCode: string; role: PersonRole; phone: string | null }, at: Date, q: Queryable = this.db): Promise<PersonRow> {
    const [row] = await q.query(
      `INSERT INTO org_person (id, name, unit_code, role, phone, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id, name, unit_code, role, phone, created_at`,
      [randomUUID(), p.name, p.unitCode, p.role, p.phone, at],
    );
    return row;
  }
}
