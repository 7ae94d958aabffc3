import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../engine/definition.service.js';
import type { ThrottleState } from './login-throttle.js';

/** A counter's key: a username and an address, or `username: ''` for the address across every name. */
export interface ThrottleKey {
  username: string;
  address: string;
}

interface ThrottleRow {
  username: string;
  address: string;
  failures: number;
  in_flight: number;
  reserved_at: Date | null;
  window_start: Date | null;
  locked_until: Date | null;
}

const ms = (d: Date | null) => (d ? new Date(d).getTime() : null);
const date = (t: number | null) => (t === null ? null : new Date(t));

/** The throttle's counters (login_throttle): read under a row lock, written back in the same transaction. */
@Injectable()
export class LoginThrottleRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The counters of `keys`, created when missing and locked until the transaction ends, in the order given:
   * callers always pass the name's counter before the address's, so two attempts never wait on each other
   * in a circle.
   */
  async lock(keys: ThrottleKey[], now: number, m: Queryable): Promise<ThrottleState[]> {
    const values = keys.map((_, i) => `($${2 * i + 2}, $${2 * i + 3}, $1::timestamptz)`).join(', ');
    const rows: ThrottleRow[] = await m.query(
      `INSERT INTO login_throttle (username, address, updated_at) VALUES ${values}
       ON CONFLICT (username, address) DO UPDATE SET updated_at = login_throttle.updated_at
       RETURNING username, address, failures, in_flight, reserved_at, window_start, locked_until`,
      [new Date(now), ...keys.flatMap((k) => [k.username, k.address])],
    );
    return keys.map((k) => {
      const r = rows.find((x) => x.username === k.username && x.address === k.address)!;
      const times = { reservedAt: ms(r.reserved_at), windowStart: ms(r.window_start), lockedUntil: ms(r.locked_until) };
      return { failures: r.failures, inFlight: r.in_flight, ...times };
    });
  }

  async save(keys: ThrottleKey[], states: ThrottleState[], now: number, m: Queryable): Promise<void> {
    const cols = 8;
    const row = (i: number) => `(${Array.from({ length: cols }, (_, j) => `$${i * cols + j + 1}`).join(', ')})`;
    await m.query(
      `UPDATE login_throttle t SET failures = v.failures::int, in_flight = v.in_flight::int,
         reserved_at = v.reserved_at::timestamptz, window_start = v.window_start::timestamptz,
         locked_until = v.locked_until::timestamptz, updated_at = v.updated_at::timestamptz
       FROM (VALUES ${keys.map((_, i) => row(i)).join(', ')})
         AS v(username, address, failures, in_flight, reserved_at, window_start, locked_until, updated_at)
       WHERE t.username = v.username AND t.address = v.address`,
      keys.flatMap((k, i) => {
        const s = states[i];
        const times = [date(s.reservedAt), date(s.windowStart), date(s.lockedUntil), new Date(now)];
        return [k.username, k.address, s.failures, s.inFlight, ...times];
      }),
    );
  }

  /** Every counter of a name (after its password was reset: its locks were about the old one). */
  async clearName(username: string, q: Queryable = this.db): Promise<void> {
    await q.query(`DELETE FROM login_throttle WHERE username = $1`, [username]);
  }

  /** Counters nobody touched since `before` (a window and a lock ago): their window, lock and reservations ran out. */
  async deleteIdle(before: number, q: Queryable = this.db): Promise<void> {
    await q.query(`DELETE FROM login_throttle WHERE updated_at < $1`, [new Date(before)]);
  }
}
