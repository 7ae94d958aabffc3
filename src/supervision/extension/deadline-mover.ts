import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../engine/definition.service.js';
import { HandlerRegistry } from '../../engine/handler-registry.js';
import { parseDate } from '../../engine/runtime/task-attributes.js';
import type { ProblemRow } from '../../problems/problems.repository.js';

export interface MovedTask {
  taskId: string;
  instanceId: string;
  activityId: string;
  name: string | null;
  dueSpec: { before: string; after: string };
  dueAt: { before: string | null; after: string };
}

export interface MovedTimer {
  timerId: string;
  instanceId: string;
  activityId: string;
  spec: { before: string | null; after: string | null };
  expireAt: { before: string; after: string };
}

export interface DeadlineMove {
  tasks: MovedTask[];
  timers: MovedTimer[];
  /** Instances whose `deadline` variable now says the new date (tasks they create later are due then). */
  instances: string[];
}

const iso = (v: Date | number | null) => (v === null ? null : new Date(v).toISOString());

/**
 * Everything in the engine that hangs on a problem's deadline, moved to a new one in the caller's transaction:
 * open task due dates whose spec names the old date, timers whose spec names it (the ladder's rung timers
 * among them: `workdays(N, deadline)`), and the `deadline` variable of the problem's running processes.
 */
@Injectable()
export class DeadlineMover {
  constructor(private readonly registry: HandlerRegistry) {}

  async move(tx: Queryable, p: ProblemRow, before: string, after: string, now: number): Promise<DeadlineMove> {
    const instances: { id: string; definition_key: string; variables: Record<string, unknown> }[] = await tx.query(
      `SELECT id, definition_key, variables FROM engine_instance WHERE business_key = $1 AND status = 'active' ORDER BY id FOR UPDATE`,
      [p.code],
    );
    const ids = instances.map((i) => i.id);
    const move: DeadlineMove = { tasks: [], timers: [], instances: [] };
    if (!ids.length) return move;

    const tasks: {
      id: string;
      instance_id: string;
      activity_id: string;
      name: string | null;
      due_spec: string;
      due_at: Date | null;
    }[] = await tx.query(
      `SELECT id, instance_id, activity_id, name, due_spec, due_at FROM engine_task WHERE instance_id = ANY($1) AND strpos(due_spec, $2) > 0`,
      [ids, before],
    );
    for (const t of tasks) {
      const spec = t.due_spec.split(before).join(after);
      const dueAt = parseDate(spec, now, this.registry.timerLiteral);
      if (dueAt === null) continue;
      await tx.query(`UPDATE engine_task SET due_spec = $2, due_at = $3 WHERE id = $1`, [t.id, spec, new Date(dueAt)]);
      move.tasks.push({
        taskId: t.id,
        instanceId: t.instance_id,
        activityId: t.activity_id,
        name: t.name,
        dueSpec: { before: t.due_spec, after: spec },
        dueAt: { before: iso(t.due_at), after: iso(dueAt)! },
      });
    }

    const timers: { id: string; instance_id: string; activity_id: string; spec: string | null; expire_at: Date }[] =
      await tx.query(
        `SELECT id, instance_id, activity_id, spec, expire_at FROM engine_timer WHERE instance_id = ANY($1) AND strpos(coalesce(spec, ''), $2) > 0`,
        [ids, before],
      );
    for (const t of timers) {
      const next = this.literalTimer(t.spec!.split(before).join(after), now);
      if (!next) continue;
      await tx.query(`UPDATE engine_timer SET spec = $2, expire_at = $3 WHERE id = $1`, [
        t.id,
        next.spec,
        new Date(next.expireAt),
      ]);
      move.timers.push({
        timerId: t.id,
        instanceId: t.instance_id,
        activityId: t.activity_id,
        spec: { before: t.spec, after: next.spec },
        expireAt: { before: iso(t.expire_at)!, after: iso(next.expireAt)! },
      });
    }

    for (const inst of instances) {
      if (inst.variables?.deadline !== before) continue;
      const [row] = await tx.query(`SELECT state FROM engine_instance WHERE id = $1`, [inst.id]);
      const state = replaceDeadline(row?.state, before, after);
      await tx.query(
        `UPDATE engine_instance SET variables = jsonb_set(variables, '{deadline}', to_jsonb($2::text)), state = $3 WHERE id = $1`,
        [inst.id, after, JSON.stringify(state)],
      );
      move.instances.push(inst.id);
    }
    return move;
  }

  private literalTimer(spec: string, now: number): { spec: string; expireAt: number } | null {
    const literal = this.registry.timerLiteral?.(spec, now);
    if (literal) return { spec, expireAt: literal.expireAt };
    const at = parseDate(spec, now, null);
    return at === null ? null : { spec, expireAt: at };
  }
}

/** The `deadline` of every variables scope in a stored engine state, where it still says `before`. */
export function replaceDeadline(state: unknown, before: string, after: string): unknown {
  const walk = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 40) return;
    if (Array.isArray(node)) return node.forEach((x) => walk(x, depth + 1));
    const obj = node as Record<string, unknown>;
    const vars = obj.variables;
    if (
      vars &&
      typeof vars === 'object' &&
      !Array.isArray(vars) &&
      (vars as Record<string, unknown>).deadline === before
    )
      (vars as Record<string, unknown>).deadline = after;
    for (const v of Object.values(obj)) walk(v, depth + 1);
  };
  walk(state, 0);
  return state;
}
