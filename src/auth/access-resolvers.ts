import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '../engine/engine.service.js';
import type { ResourceKind } from './access-rules.js';
import type { AuthUser } from './auth-user.js';
import { problemInUnits } from '../org/office-scope.js';

/**
 * Does `user` own resource `id`? `action`: to act on it (complete a task), not only to read it; `query`: the
 * request's query, for a resource whose reading depends on it (a bulletin recomputed).
 */
export type OwnershipResolver = (id: string, user: AuthUser, opts: OwnershipOptions) => Promise<boolean>;
export interface OwnershipOptions {
  action: boolean;
  query?: Record<string, unknown>;
}

/**
 * Ownership per resource kind, for the `:id` routes of scoped accounts. Modules register the resolver of
 * the resources they own (files: the files module); a kind with no resolver is refused.
 */
@Injectable()
export class AccessResolvers {
  private readonly resolvers = new Map<ResourceKind, OwnershipResolver>();

  constructor(private readonly db: DataSource) {
    this.register('problem', (id, user) => this.ownsProblem(id, user));
    this.register('task', (id, user, opts) => this.ownsTask(id, user, opts.action));
    this.register('file', (id, user) => this.ownsFile(id, user));
  }

  register(kind: ResourceKind, resolver: OwnershipResolver): void {
    this.resolvers.set(kind, resolver);
  }

  async owns(kind: ResourceKind, id: string, user: AuthUser, opts: OwnershipOptions): Promise<boolean> {
    const resolver = this.resolvers.get(kind);
    return resolver ? resolver(id, user, opts) : false;
  }

  /**
   * 分级督办: is resource `id` within the subtree of the office's unit? A problem when one of its units is
   * there; a task, file or supervision action when its problem is (a task of no problem, such as the monthly
   * cycle's, is every office's); a bulletin is the whole deployment's.
   */
  async inOfficeSubtree(kind: ResourceKind, id: string, user: AuthUser): Promise<boolean> {
    if (!user.unitCode) return true;
    const units = await this.subtree(user.unitCode);
    if (kind === 'problem') return this.problemWithin(id, units);
    if (kind === 'bulletin') return true;
    if (!isUuid(id)) return false;
    if (kind === 'file') {
      const [file] = await this.db.query(`SELECT problem_id FROM evidence_file WHERE id = $1`, [id]).catch(() => []);
      return file ? this.problemWithin(file.problem_id, units) : false;
    }
    if (kind === 'action') {
      const [a] = await this.db.query(`SELECT problem_id FROM supervision_action WHERE id = $1`, [id]);
      return a ? this.problemWithin(a.problem_id, units) : false;
    }
    const [task]: { business_key: string | null }[] = await this.db.query(
      `SELECT business_key FROM engine_task WHERE id = $1
       UNION ALL SELECT i.business_key FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id WHERE h.task_id = $1
       LIMIT 1`,
      [id],
    );
    if (!task) return false;
    if (!task.business_key) return true;
    const [p] = await this.db.query(`SELECT 1 FROM problem WHERE code = $1`, [task.business_key]);
    return p ? this.problemWithin(task.business_key, units) : true;
  }

  /** The codes of the unit and every unit below it (bounded like the unit tree's own checks). */
  private async subtree(code: string): Promise<string[]> {
    const rows: { code: string }[] = await this.db.query(
      `WITH RECURSIVE down(code, depth) AS (
         SELECT code, 0 FROM org_unit WHERE code = $1
         UNION ALL SELECT u.code, down.depth + 1 FROM org_unit u JOIN down ON u.parent_code = down.code WHERE down.depth < 50)
       SELECT code FROM down`,
      [code],
    );
    return rows.map((r) => r.code);
  }

  private async problemWithin(idOrCode: string, units: string[]): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT 1 FROM problem WHERE ${isUuid(idOrCode) ? 'id = $1::uuid' : 'code = $1'} AND ${problemInUnits('$2')}`,
      [idOrCode, units],
    );
    return rows.length > 0;
  }

  /** A problem (by id or code) is a unit's when the unit leads it or shares it. */
  private async ownsProblem(idOrCode: string, user: AuthUser): Promise<boolean> {
    if (!user.unitCode) return false;
    const rows = await this.db.query(
      `SELECT 1 FROM problem WHERE ${isUuid(idOrCode) ? 'id = $1::uuid' : 'code = $1'} AND (lead_unit = $2 OR $2 = ANY(responsible_units))`,
      [idOrCode, user.unitCode],
    );
    return rows.length > 0;
  }

  /** An evidence file is the unit's when its problem is. */
  private async ownsFile(id: string, user: AuthUser): Promise<boolean> {
    if (!isUuid(id)) return false;
    // Refused, not failed, where the files module (its table) is not there.
    const [file] = await this.db.query(`SELECT problem_id FROM evidence_file WHERE id = $1`, [id]).catch(() => []);
    return file ? this.ownsProblem(file.problem_id, user) : false;
  }

  /**
   * A task is one's own when one is its assignee or one's unit (or, for leaders and inspectors, one's role) is
   * among its candidate groups. A unit also reads the tasks of its own problems (found by the business key),
   * but acts only on those given to it.
   */
  private async ownsTask(id: string, user: AuthUser, action: boolean): Promise<boolean> {
    if (!isUuid(id)) return false;
    const [task] = await this.db.query(
      `SELECT candidate_groups, assignee, business_key FROM engine_task WHERE id = $1`,
      [id],
    );
    if (!task) return this.ownedFinishedTask(id, user);
    const me = [user.accountId, user.username, user.personId].filter(Boolean);
    if (task.assignee && me.includes(task.assignee)) return true;
    const group = user.role === 'unit' ? user.unitCode : user.role;
    if (group && (task.candidate_groups as string[]).includes(group)) return true;
    if (user.role === 'unit' && !action && task.business_key) return this.ownsProblem(task.business_key, user);
    return false;
  }

  /**
   * A task completed a moment ago is no longer open: whoever could see its problem is let through, so the
   * service answers "already completed" (409) rather than a refusal that would hide what happened.
   */
  private async ownedFinishedTask(id: string, user: AuthUser): Promise<boolean> {
    const [h] = await this.db.query(
      `SELECT i.business_key FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id WHERE h.task_id = $1 LIMIT 1`,
      [id],
    );
    if (!h) return false;
    if (user.role === 'unit') return h.business_key ? this.ownsProblem(h.business_key, user) : false;
    return true;
  }
}
