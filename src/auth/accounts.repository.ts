import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../engine/definition.service.js';
import type { Role } from './auth-user.js';

export interface AccountRow {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  person_id: string | null;
  person_name: string | null;
  person_unit: string | null;
  unit_code: string | null;
  disabled: boolean;
  /** Raised whenever the account's tokens must stop working (disabled, password reset, role/unit/person changed). */
  token_version: number;
  created_at: Date;
}

/** What every signed-in call is checked against. */
export interface SessionState {
  disabled: boolean;
  token_version: number;
}

export interface AccountChange {
  role: Role;
  unitCode: string | null;
  personId: string | null;
  disabled: boolean;
  passwordHash: string | null;
  bumpTokens: boolean;
}

const COLS = `a.id, a.username, a.password_hash, a.role, a.person_id, p.name AS person_name, p.unit_code AS person_unit, a.unit_code, a.disabled,
  a.token_version, a.created_at`;

/** Accounts: single-purpose queries. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly db: DataSource) {}

  async findByUsername(username: string, q: Queryable = this.db): Promise<AccountRow | null> {
    const [row] = await q.query(
      `SELECT ${COLS} FROM account a LEFT JOIN org_person p ON p.id = a.person_id WHERE a.username = $1`,
      [username],
    );
    return row ?? null;
  }

  async findById(id: string, q: Queryable = this.db): Promise<AccountRow | null> {
    const [row] = await q.query(
      `SELECT ${COLS} FROM account a LEFT JOIN org_person p ON p.id = a.person_id WHERE a.id = $1`,
      [id],
    );
    return row ?? null;
  }

  async list(q: Queryable = this.db): Promise<AccountRow[]> {
    return q.query(
      `SELECT ${COLS} FROM account a LEFT JOIN org_person p ON p.id = a.person_id ORDER BY a.role, a.username`,
    );
  }

  async count(q: Queryable = this.db): Promise<number> {
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM account`);
    return n;
  }

  /** False when the username is taken. */
  async insert(
    a: {
      id: string;
      username: string;
      passwordHash: string;
      role: Role;
      personId: string | null;
      unitCode: string | null;
    },
    at: Date,
    q: Queryable = this.db,
  ): Promise<boolean> {
    const rows = await q.query(
      `INSERT INTO account (id, username, password_hash, role, person_id, unit_code, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [a.id, a.username, a.passwordHash, a.role, a.personId, a.unitCode, at],
    );
    return rows.length > 0;
  }

  /** One primary-key read, made on every signed-in call so that disabling an account ends its tokens at once. */
  async session(id: string, q: Queryable = this.db): Promise<SessionState | null> {
    const [row]: SessionState[] = await q.query(`SELECT disabled, token_version FROM account WHERE id = $1`, [id]);
    return row ?? null;
  }

  /** The account, row locked for a change. */
  async findForUpdate(id: string, q: Queryable): Promise<AccountRow | null> {
    await q.query(`SELECT id FROM account WHERE id = $1 FOR UPDATE`, [id]);
    return this.findById(id, q);
  }

  async update(id: string, c: AccountChange, q: Queryable): Promise<void> {
    await q.query(
      `UPDATE account SET role = $2, unit_code = $3, person_id = $4, disabled = $5,
         password_hash = COALESCE($6, password_hash), token_version = token_version + $7 WHERE id = $1`,
      [id, c.role, c.unitCode, c.personId, c.disabled, c.passwordHash, c.bumpTokens ? 1 : 0],
    );
  }

  /** Changes to accounts one at a time (till the transaction ends): two cannot both remove the last admin. */
  async lockChanges(q: Queryable): Promise<void> {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('duban.account-change'))`);
  }

  async enabledAdmins(q: Queryable): Promise<number> {
    const sql = `SELECT count(*)::int AS n FROM account WHERE role = 'admin' AND NOT disabled`;
    const [{ n }]: { n: number }[] = await q.query(sql);
    return n;
  }

  async unitExists(code: string, q: Queryable = this.db): Promise<boolean> {
    return (await q.query(`SELECT 1 FROM org_unit WHERE code = $1`, [code])).length > 0;
  }

  async unitName(code: string, q: Queryable = this.db): Promise<string | null> {
    const [row]: { name: string }[] = await q.query(`SELECT name FROM org_unit WHERE code = $1`, [code]);
    return row?.name ?? null;
  }

  async person(id: string, q: Queryable = this.db): Promise<{ id: string; unit_code: string } | null> {
    const [row] = await q.query(`SELECT id, unit_code FROM org_person WHERE id = $1`, [id]);
    return row ?? null;
  }
}
