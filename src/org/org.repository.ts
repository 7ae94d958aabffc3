import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../engine/definition.service.js';
import type { PersonRole } from './dto/create-person.dto.js';
import type { UnitLevel } from './unit-levels.js';

export interface UnitRow {
  code: string;
  name: string;
  parent_code: string | null;
  /** Always read from the table; optional for directories built by hand (tests, imports). */
  level?: UnitLevel | null;
  created_at: Date;
}

const UNIT_COLS = `code, name, parent_code, level, created_at`;

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
    return q.query(`SELECT ${UNIT_COLS} FROM org_unit ORDER BY code`);
  }

  async findUnit(code: string, q: Queryable = this.db): Promise<UnitRow | null> {
    const [row] = await q.query(`SELECT ${UNIT_COLS} FROM org_unit WHERE code = $1`, [code]);
    return row ?? null;
  }

  /** Inserts unless the code or the name is taken; answers which one was. */
  async insertUnit(
    unit: { code: string; name: string; parentCode: string | null; level: UnitLevel | null },
    at: Date,
    q: Queryable = this.db,
  ): Promise<'ok' | 'code' | 'name'> {
    const clash: { code: string; name: string }[] = await q.query(
      `SELECT code, name FROM org_unit WHERE code = $1 OR name = $2`,
      [unit.code, unit.name],
    );
    if (clash.some((c) => c.code === unit.code)) return 'code';
    if (clash.length) return 'name';
    const res = await q.query(
      `INSERT INTO org_unit (code, name, parent_code, level, created_at) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING RETURNING code`,
      [unit.code, unit.name, unit.parentCode, unit.level, at],
    );
    return res.length ? 'ok' : 'code';
  }

  async updateUnit(
    code: string,
    u: { name: string; parentCode: string | null; level: UnitLevel | null },
    q: Queryable,
  ): Promise<void> {
    await q.query(`UPDATE org_unit SET name = $2, parent_code = $3, level = $4 WHERE code = $1`, [
      code,
      u.name,
      u.parentCode,
      u.level,
    ]);
  }

  /** The unit and every unit below it, with its depth under the unit (bounded like `ancestors`). */
  async subtree(
    code: string,
    q: Queryable = this.db,
  ): Promise<{ code: string; level: UnitLevel | null; depth: number }[]> {
    return q.query(
      `WITH RECURSIVE down(code, level, depth) AS (
         SELECT code, level, 0 FROM org_unit WHERE code = $1
         UNION ALL SELECT u.code, u.level, down.depth + 1 FROM org_unit u JOIN down ON u.parent_code = down.code WHERE down.depth < 50)
       SELECT code, level, depth FROM down ORDER BY depth, code`,
      [code],
    );
  }

  async unitNamed(name: string, q: Queryable = this.db): Promise<string | null> {
    const [row]: { code: string }[] = await q.query(`SELECT code FROM org_unit WHERE name = $1`, [name]);
    return row?.code ?? null;
  }

  /** The unit's ancestors, nearest first (bounded: a tree deeper than 50 is refused by the caller). */
  async ancestors(code: string, q: Queryable = this.db): Promise<string[]> {
    const rows: { code: string }[] = await q.query(
      `WITH RECURSIVE up(code, parent_code, depth) AS (
         SELECT code, parent_code, 0 FROM org_unit WHERE code = $1
         UNION ALL SELECT u.code, u.parent_code, up.depth + 1 FROM org_unit u JOIN up ON u.code = up.parent_code WHERE up.depth < 50)
       SELECT code FROM up WHERE depth > 0 ORDER BY depth`,
      [code],
    );
    return rows.map((r) => r.code);
  }

  /** The unit's own level, then its ancestors' levels, nearest first (a department's level is null). */
  async levelChain(code: string, q: Queryable = this.db): Promise<(UnitLevel | null)[]> {
    const rows: { level: UnitLevel | null }[] = await q.query(
      `WITH RECURSIVE up(code, parent_code, level, depth) AS (
         SELECT code, parent_code, level, 0 FROM org_unit WHERE code = $1
         UNION ALL SELECT u.code, u.parent_code, u.level, up.depth + 1 FROM org_unit u JOIN up ON u.code = up.parent_code WHERE up.depth < 50)
       SELECT level FROM up ORDER BY depth`,
      [code],
    );
    return rows.map((r) => r.level);
  }

  async findPerson(id: string, q: Queryable = this.db): Promise<PersonRow | null> {
    const [row] = await q.query(`SELECT id, name, unit_code, role, phone, created_at FROM org_person WHERE id = $1`, [
      id,
    ]);
    return row ?? null;
  }

  async updatePerson(
    id: string,
    p: { name: string; unitCode: string; role: PersonRole; phone: string | null },
    q: Queryable,
  ): Promise<void> {
    await q.query(`UPDATE org_person SET name = $2, unit_code = $3, role = $4, phone = $5 WHERE id = $1`, [
      id,
      p.name,
      p.unitCode,
      p.role,
      p.phone,
    ]);
  }

  /** Accounts of a unit that this person uses (their unit must stay the person's). */
  async unitAccountsOfPerson(id: string, q: Queryable = this.db): Promise<string[]> {
    const rows: { username: string }[] = await q.query(
      `SELECT username FROM account WHERE person_id = $1 AND unit_code IS NOT NULL`,
      [id],
    );
    return rows.map((r) => r.username);
  }

  async personsOfUnit(unitCode: string | null, q: Queryable = this.db): Promise<PersonRow[]> {
    return q.query(
      `SELECT id, name, unit_code, role, phone, created_at FROM org_person WHERE ($1::text IS NULL OR unit_code = $1) ORDER BY unit_code, role DESC, name`,
      [unitCode],
    );
  }

  async insertPerson(
    p: { name: string; unitCode: string; role: PersonRole; phone: string | null },
    at: Date,
    q: Queryable = this.db,
  ): Promise<PersonRow> {
    const [row] = await q.query(
      `INSERT INTO org_person (id, name, unit_code, role, phone, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id, name, unit_code, role, phone, created_at`,
      [randomUUID(), p.name, p.unitCode, p.role, p.phone, at],
    );
    return row;
  }
}
