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
  failed_attempts: number;
  locked_until: Date | null;
  created_at: Date;
}

const COLS = `a.id, a.username, a.password_hash, a.role, a.person_id, p.name AS person_name, p.unit_code AS person_unit, a.unit_code, a.disabled,
  a.failed_attempts, a.locked_until, a.created_at`;

/** Accounts: single-purpose queries. */
@Injectable()
export class AccountsRepository {
  constructor(private readonly db: DataSource) {}

  async findByUsername(username: string, q: Queryable = this.db): Promise<AccountRow | null> {
    const [row] = await q.query(`SELECT ${COLS} FROM account a LEFT JOIN org_person p ON p.id = a.person_id WHERE a.username = $1`, [username]);
    return row ?? null;
  }

  async findById(id: string, q: Queryable = this.db): Promise<AccountRow | null> {
    const [row] = await q.query(`SELECT ${COLS} FROM account a LEFT JOIN org_person p ON p.id = a.person_id WHERE a.id = $1`, [id]);
    return row ?? null;
  }

  async list(q: Queryable = this.db): Promise<AccountRow[]> {
    return q.query(`SELECT ${COLS} FROM account a LEFT JOIN org_person p ON p.id = a.person_id ORDER BY a.role, a.username`);
  }

  async count(q: Queryable = this.db): Promise<number> {
    const [{ n }] = await q.query(`SELECT count(*)::int AS n FROM account`);
    return n;
  }

  /** False when the username is taken. */
  async insert(a: { id: string; username: string; passwordHash: string; role: Role; personId: string | null; unitCode: string | null }, at: Date, q: Queryable = this.db): Promise<boolean> {
    const rows = await q.query(
      `INSERT INTO account (id, username, password_hash, role, person_id, unit_code, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [a.id, a.username, a.passwordHash, a.role, a.personId, a.unitCode, at],
    );
    return rows.length > 0;
  }

  async recordFailure(id: string, failedAttempts: number, lockedUntil: Date | null, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE account SET failed_attempts = $2, locked_until = $3 WHERE id = $1`, [id, failedAttempts, lockedUntil]);
  }

  /** The throttle columns, row locked so concurrent failures each count. */
  async throttleForUpdate(id: string, q: Queryable): Promise<{ failed_attempts: number; locked_until: Date | null } | null> {
    const [row] = await q.query(`SELECT failed_attempts, locked_until FROM account WHERE id = $1 FOR UPDATE`, [id]);
    return row ?? null;
  }

  async saveThrottle(id: string, failedAttempts: number, lockedUntil: Date | null, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE account SET failed_attempts = $2, locked_until = $3 WHERE id = $1`, [id, failedAttempts, lockedUntil]);
  }

  async clearFailures(id: string, q: Queryable = this.db): Promise<void> {
    await q.query(`UPDATE account SET failed_attempts = 0, locked_until = NULL WHERE id = $1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)`, [id]);
  }

  async unitExists(code: string, q: Queryable = this.db): Promise<boolean> {
    return (await q.query(`SELECT 1 FROM org_unit WHERE code = $1`, [code])).length > 0;
  }

  async person(id: string, q: Queryable = this.db): Promise<{ id: string; unit_code: string } | null> {
    const [row] = await q.query(`SELECT id, unit_code FROM org_person WHERE id = $1`, [id]);
    return row ?? null;
  }
}
